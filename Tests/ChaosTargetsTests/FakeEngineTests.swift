import ChaosTestSupport
import ChaosCore
@testable import ChaosTargets
import Foundation
import XCTest

/// Version negotiation and each engine's status codes, against a scripted engine on a private
/// unix socket (Fixtures/fake_engine.py: its answers follow the recorded Docker 20.10 and
/// Podman 4.3 transcripts, line by line; the same calls run against the real engines in
/// DockerEngineIntegrationTests and PodmanEngineIntegrationTests).
final class FakeEngineTests: XCTestCase {
    private var process: Process?
    private var socket = ""

    /// Start the fake on a private socket; `containers` (id, name, labels, state) replaces its
    /// default container, `authzDeny` lists path parts a (Docker) authorization plugin refuses.
    private func startEngine(api: String, server: String, minAPI: String? = nil,
                             containers: [[String: Any]]? = nil, authzDeny: [String] = []) throws -> DockerClient {
        socket = NSTemporaryDirectory() + "fake-engine-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fake_engine.py").path
        p.arguments = ["python3", fixture, socket, api, server] + (minAPI.map { [$0] } ?? [])
        if let containers {
            let scenario = socket + ".scenario.json"
            try JSONSerialization.data(withJSONObject: ["containers": containers, "authz_deny": authzDeny])
                .write(to: URL(fileURLWithPath: scenario))
            p.environment = ProcessInfo.processInfo.environment.merging(["FAKE_ENGINE_SCENARIO": scenario]) { $1 }
        }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        process = p
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("READY") else { throw fixtureUnavailable("python3 fake engine did not start: \(line)") }
        return DockerClient(host: DockerHost(endpoint: .unix(path: socket)))
    }

    private static let runningC1: [[String: Any]] = [["id": String(repeating: "c", count: 64), "name": "c1",
                                                      "labels": ["app": "web"], "state": "running"]]

    override func tearDown() {
        if let p = process, p.isRunning {
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
        }
        unlink(socket)
        unlink(socket + ".log")
        unlink(socket + ".scenario.json")
    }

    private var requestLog: [String] {
        ((try? String(contentsOfFile: socket + ".log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func testNewerEngineIsCappedAtNewestKnownVersion() throws {
        let client = try startEngine(api: "1.45", server: "Docker/27.0.0 (linux)")
        let info = try client.engineInfo()
        XCTAssertEqual(info.engineAPIVersion, DockerAPIVersion(1, 45))
        XCTAssertEqual(info.apiVersion, DockerAPIVersion(1, 41))
        _ = try client.list(labels: ["app=web"], statuses: ["running"], all: true)
        let listed = try XCTUnwrap(requestLog.last)
        XCTAssertTrue(listed.hasPrefix("GET /v1.41/containers/json?all=1&filters="), listed)
        // The filter is the API's JSON map, percent-encoded.
        let encoded = String(listed.split(separator: "filters=")[1])
        let filters = try JSONSerialization.jsonObject(with: Data(encoded.removingPercentEncoding!.utf8)) as? [String: [String]]
        XCTAssertEqual(filters?["label"], ["app=web"])
        XCTAssertEqual(filters?["status"], ["running"])
    }

    func testOlderEngineVersionIsUsedAsIs() throws {
        let client = try startEngine(api: "1.30", server: "Docker/17.06.0 (linux)")
        XCTAssertEqual(try client.engineInfo().apiVersion, DockerAPIVersion(1, 30))
        _ = try? client.inspect("x")
        XCTAssertTrue(requestLog.last?.hasPrefix("GET /v1.30/containers/x/json") ?? false, "\(requestLog)")
    }

    func testTooOldEngineIsRefusedClearly() throws {
        let client = try startEngine(api: "1.12", server: "Docker/1.0 (linux)")
        XCTAssertThrowsError(try client.list(labels: [], statuses: [], all: true)) { error in
            XCTAssertEqual((error as? ContainerEngineError)?.reason, .unsupported)
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unsupported)
            XCTAssertTrue("\(error)".contains("too old"), "\(error)")
        }
        XCTAssertFalse(requestLog.contains { $0.contains("/containers/") }, "nothing is sent to a refused engine")
    }

    func testEngineRequiringNewerAPIIsRefused() throws {
        let client = try startEngine(api: "none", server: "", minAPI: "1.44")
        XCTAssertThrowsError(try client.engineInfo()) { error in
            XCTAssertEqual((error as? ContainerEngineError)?.reason, .unsupported)
            XCTAssertTrue("\(error)".contains("1.44"), "\(error)")
        }
        XCTAssertTrue(requestLog.contains("GET /version"), "falls back to /version without an API-Version header")
    }

    /// The call sequence both transcripts recorded (kill twice, start twice, stop twice, pause
    /// twice, kill while paused, unpause an exited container, restart), against each engine's
    /// statuses: Docker answers 409/400 where Podman answers 500.
    private func assertRecordedSequence(server: String) throws {
        let client = try startEngine(api: "1.41", server: server, containers: Self.runningC1)
        func expect(_ reason: ContainerEngineError.Reason, _ call: () throws -> Void, line: UInt = #line) {
            XCTAssertThrowsError(try call(), line: line) { error in
                XCTAssertEqual((error as? ContainerEngineError)?.reason, reason, "\(error)", line: line)
            }
        }
        XCTAssertNoThrow(try client.kill("c1", signal: "SIGKILL"))
        expect(.notRunning) { try client.kill("c1", signal: "SIGKILL") }
        XCTAssertTrue(try client.start("c1"))
        XCTAssertFalse(try client.start("c1"), "304 means already running, not an error")
        XCTAssertTrue(try client.stop("c1", timeout: 1))
        XCTAssertFalse(try client.stop("c1", timeout: 1), "304 means already stopped, not an error")
        XCTAssertTrue(try client.start("c1"))
        XCTAssertNoThrow(try client.pause("c1"))
        XCTAssertTrue(try client.inspect("c1").state.paused)
        expect(.alreadyPaused) { try client.pause("c1") }
        XCTAssertNoThrow(try client.kill(String(repeating: "c", count: 12), signal: "9"), "a short ID and a number")
        expect(.notPaused) { try client.unpause("c1") }
        // The pause reverter treats "not paused" as done.
        let record = FaultRecord(kind: ContainerPauseFault.kind, target: "t", summary: "s",
                                 revertData: ["host": "unix://" + socket, "id": "c1"])
        XCTAssertNoThrow(try ContainerPauseReverter().revert(record))
        XCTAssertNoThrow(try client.restart("c1", timeout: 1))
        XCTAssertTrue(try client.inspect("c1").state.isUp)
        expect(.invalidSignal) { try client.kill("c1", signal: "SIGBOGUS") }
        expect(.notFound) { try client.kill("gone", signal: "SIGKILL") }
        expect(.notFound) { _ = try client.inspect("gone") }
        XCTAssertEqual(try client.list(labels: ["app=web"], statuses: ["running"], all: true).map(\.name), ["c1"])
        XCTAssertEqual(try client.list(labels: ["app=db"], statuses: [], all: true).count, 0)
    }

    func testPodmanStatusCodesMapLikeDockers() throws {
        try assertRecordedSequence(server: "Libpod/4.3.1 (linux)")
        XCTAssertTrue(try DockerClient(host: DockerHost(endpoint: .unix(path: socket))).engineInfo().isPodman)
    }

    func testDockerStatusCodes() throws {
        try assertRecordedSequence(server: "Docker/20.10.24+dfsg1 (linux)")
    }

    func testAuthorizationPluginDenialIsForbidden() throws {
        let client = try startEngine(api: "1.41", server: "Docker/20.10.24+dfsg1 (linux)",
                                     containers: Self.runningC1, authzDeny: ["/restart"])
        XCTAssertThrowsError(try client.restart("c1", timeout: 1)) { error in
            XCTAssertEqual((error as? ContainerEngineError)?.reason, .forbidden, "\(error)")
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .forbidden)
        }
    }

    func testUnreachableEngineNamesTheSocket() {
        let client = DockerClient(host: DockerHost(endpoint: .unix(path: "/tmp/no-such-engine-\(getpid()).sock")))
        XCTAssertThrowsError(try client.engineInfo()) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unreachable)
        }
    }
}
