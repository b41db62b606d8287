import ChaosTestSupport
import ChaosCore
import ChaosHTTP
@testable import ChaosTargets
import Foundation
import XCTest

/// The same adapter against a real Podman 4 Docker-compatible service, where conflicts come
/// back as HTTP 500 rather than Docker's 409/400. Checked by inspecting the engine.
final class PodmanEngineIntegrationTests: XCTestCase {
    private static var engine: DockerTestEngine?
    private static var skipReason = ""
    private static var started = Date()

    override class func setUp() {
        started = Date()
        (engine, skipReason) = DockerTestEngine.acquire(.podman)
        if engine == nil { print("PodmanEngineIntegrationTests: skipped: \(skipReason)") }
    }

    override class func tearDown() {
        engine?.release()
        engine = nil
        print("PodmanEngineIntegrationTests: engine start + tests + stop took \(String(format: "%.1f", Date().timeIntervalSince(started)))s")
    }

    private var podman: DockerTestEngine!
    private var client: DockerClient!
    private var label = ""
    private var stateDir = ""
    private var lifecycle: FaultLifecycle!

    override func setUpWithError() throws {
        guard let e = Self.engine else { throw fixtureUnavailable("no Podman engine: \(Self.skipReason)") }
        podman = e
        client = DockerClient(host: e.host)
        label = "chaosctl.case=p\(UInt32.random(in: 0...UInt32.max))"
        stateDir = NSTemporaryDirectory() + "chaosctl-state-\(UInt32.random(in: 0...UInt32.max))"
        lifecycle = FaultLifecycle(journal: FaultJournal(directory: stateDir))
    }

    override func tearDown() {
        podman?.removeContainers(label: label)
        try? FileManager.default.removeItem(atPath: stateDir)
    }

    private func make(_ n: Int, restart: String = "no") throws -> [ContainerSummary] {
        let parts = label.split(separator: "=")
        let ids = try (1...n).map {
            try podman.startContainer(name: "\(parts[1])-\($0)", labels: [String(parts[0]): String(parts[1])], restart: restart)
        }
        let listed = try client.list(labels: [label], statuses: [], all: true)
        return ids.compactMap { id in listed.first { $0.id == id } }
    }

    func testPodmanIsRecognisedAndNegotiated() throws {
        let info = try client.engineInfo()
        XCTAssertTrue(info.isPodman, info.server)
        XCTAssertEqual(info.apiVersion, DockerAPIVersion(1, 41))
    }

    func testKillThenKillAgainMapsPodman500ToNotRunning() throws {
        let c = try make(1)[0]
        let result = ContainerChaos(engine: client, lifecycle: lifecycle).run(.kill(signal: "SIGKILL"), on: [c], dryRun: false)
        XCTAssertTrue(result.outcomes[0].ok)
        XCTAssertEqual(try client.inspect(c.id).state.status, "exited")
        XCTAssertThrowsError(try client.kill(c.id, signal: "SIGKILL")) { error in
            XCTAssertEqual((error as? ContainerEngineError)?.reason, .notRunning, "\(error)")
            XCTAssertEqual((error as? ContainerEngineError)?.status, 500)
        }
        XCTAssertFalse(try client.stop(c.id, timeout: 1), "already stopped: 304")
        XCTAssertTrue(try client.start(c.id))
        XCTAssertTrue(try client.inspect(c.id).state.running)
    }

    func testPauseFaultAndPodmanPauseConflicts() throws {
        let c = try make(1)[0]
        try client.pause(c.id)
        XCTAssertThrowsError(try client.pause(c.id)) { XCTAssertEqual(($0 as? ContainerEngineError)?.reason, .alreadyPaused, "\($0)") }
        try client.unpause(c.id)
        XCTAssertThrowsError(try client.unpause(c.id)) { XCTAssertEqual(($0 as? ContainerEngineError)?.reason, .notPaused, "\($0)") }

        let seenPaused = ResultBox<Bool>()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { [client] in
            seenPaused.set((try? client!.inspect(c.id).state.paused) ?? false)
        }
        let result = ContainerChaos(engine: client, lifecycle: lifecycle).run(.pause(duration: 1.2), on: [c], dryRun: false)
        XCTAssertTrue(result.outcomes[0].ok)
        XCTAssertEqual(seenPaused.get(), true)
        XCTAssertFalse(try client.inspect(c.id).state.paused)
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    func testCrashIsRestartedByPodmanRestartPolicy() throws {
        let c = try make(1, restart: "always")[0]
        let before = try client.inspect(c.id)
        let result = ContainerChaos(engine: client, lifecycle: lifecycle).run(.crash, on: [c], dryRun: false, waitRecovered: 20)
        XCTAssertTrue(result.outcomes[0].ok, "\(String(describing: result.outcomes[0].error))")
        XCTAssertEqual(result.outcomes[0].recovery?.recovered, true)
        let after = try client.inspect(c.id)
        XCTAssertTrue(after.state.running)
        XCTAssertNotEqual(after.state.pid, before.state.pid)
        print("podman crash recovery (restart=always): \(String(format: "%.3f", result.outcomes[0].recovery?.seconds ?? -1))s")
    }

    func testDryRunChangesNothing() throws {
        let cs = try make(2)
        let before = try cs.map { try client.inspect($0.id).state }
        for action: ContainerAction in [.kill(signal: "SIGKILL"), .crash, .stop(timeout: 1), .pause(duration: 5)] {
            XCTAssertTrue(ContainerChaos(engine: client, lifecycle: lifecycle).run(action, on: cs, dryRun: true).outcomes.allSatisfy(\.ok))
        }
        XCTAssertEqual(try cs.map { try client.inspect($0.id).state }, before)
        XCTAssertTrue(lifecycle.journal.events().isEmpty)
    }
}
