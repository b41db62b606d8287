import ChaosCore
@testable import ChaosTargets
import Foundation
import XCTest

/// Against a real dockerd: a pause fault's revert unpauses only its own pause (issue #11
/// item 5). A pause that was already there, or one made after a restart, is someone else's.
final class ContainerPauseOwnershipTests: XCTestCase {
    private static var engine: DockerTestEngine?
    private static var skipReason = ""

    override class func setUp() {
        (engine, skipReason) = DockerTestEngine.acquire()
    }

    override class func tearDown() {
        engine?.release()
        engine = nil
    }

    private var docker: DockerTestEngine!
    private var client: DockerClient!
    private var label = ""
    private var lifecycle: FaultLifecycle!
    private var stateDir = ""

    override func setUpWithError() throws {
        guard let e = Self.engine else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("no Docker engine: \(Self.skipReason)") }
            throw XCTSkip("no Docker engine: \(Self.skipReason)")
        }
        docker = e
        client = DockerClient(host: e.host)
        label = "chaosctl.case=\(name.filter { $0.isLetter || $0.isNumber })-\(UInt32.random(in: 0...UInt32.max))"
        stateDir = NSTemporaryDirectory() + "chaosctl-state-\(UInt32.random(in: 0...UInt32.max))"
        lifecycle = FaultLifecycle(journal: FaultJournal(directory: stateDir), reverters: [ContainerPauseReverter()])
    }

    override func tearDown() {
        docker?.removeContainers(label: label)
        try? FileManager.default.removeItem(atPath: stateDir)
    }

    private func container() throws -> ContainerSummary {
        let parts = label.split(separator: "=", maxSplits: 1)
        let id = try docker.startContainer(name: "p\(parts[1].split(separator: "-").last!)",
                                           labels: [String(parts[0]): String(parts[1])], restart: "no")
        return try XCTUnwrap(client.list(labels: [label], statuses: [], all: true).first { $0.id == id })
    }

    func testPausingAnAlreadyPausedContainerLeavesThatPause() throws {
        let c = try container()
        try client.pause(c.id)  // someone else's pause
        XCTAssertThrowsError(try lifecycle.apply(ContainerPauseFault(engine: client, container: c, duration: 60), held: true)) { error in
            XCTAssertEqual((error as? ContainerEngineError)?.reason, .alreadyPaused, "\(error)")
        }
        XCTAssertTrue(try client.inspect(c.id).state.paused, "the failed pause unpaused someone else's pause")
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    func testRevertLeavesAPauseMadeAfterARestart() throws {
        let c = try container()
        let record = try lifecycle.apply(ContainerPauseFault(engine: client, container: c, duration: 60), held: false)
        // Someone ends the pause, restarts the container and pauses it for their own reasons.
        try client.unpause(c.id)
        try client.restart(c.id, timeout: 1)
        try client.pause(c.id)
        let result = try lifecycle.revert(record)
        XCTAssertTrue(try client.inspect(c.id).state.paused, "the revert ended someone else's pause")
        XCTAssertTrue(result.leftAlone.first?.contains("restarted since") ?? false, "\(result.leftAlone)")
        try client.unpause(c.id)
    }

    func testRevertStillUnpausesItsOwnPause() throws {
        let c = try container()
        let record = try lifecycle.apply(ContainerPauseFault(engine: client, container: c, duration: 60), held: false)
        XCTAssertTrue(try client.inspect(c.id).state.paused)
        XCTAssertEqual(try lifecycle.revert(record).leftAlone, [])
        XCTAssertFalse(try client.inspect(c.id).state.paused)
    }
}
