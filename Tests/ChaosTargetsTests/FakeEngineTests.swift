import ChaosTestSupport
import ChaosCore
@testable import ChaosTargets
import Foundation
import XCTest

/// Version negotiation and Podman's status codes, against a scripted engine on a private
/// unix socket (Fixtures/fake_engine.py; its answers follow the recorded Podman transcript).
final class FakeEngineTests: XCTestCase {
    private var process: Process?
    private var socket = ""

    private func startEngine(api: String, server: String, minAPI: String? = nil) throws -> DockerClient {
        socket = NSTemporaryDirectory() + "fake-engine-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fake_engine.py").path
        p.arguments = ["python3", fixture, socket, api, server] + (minAPI.map { [$0] } ?? [])
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        process = p
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("READY") else { throw fixtureUnavailable("python3 fake engine did not start: \(line)") }
        return DockerClient(host: DockerHost(endpoint: .unix(path: socket)))
    }

    override func tearDown() {
        if let p = process, p.isRunning {
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
        }
        unlink(socket)
        unlink(socket + ".log")
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

    func testPodmanStatusCodesMapLikeDockers() throws {
        let client = try startEngine(api: "1.41", server: "Libpod/4.3.1 (linux)")
        XCTAssertTrue(try client.engineInfo().isPodman)
        let cases: [(() throws -> Void, ContainerEngineError.Reason)] = [
            ({ try client.kill("c1", signal: "SIGKILL") }, .notRunning),
            ({ try client.kill("c1", signal: "SIGBOGUS") }, .invalidSignal),
            ({ try client.pause("c1") }, .alreadyPaused),
            ({ try client.unpause("c1") }, .notPaused),
            ({ try client.kill("gone", signal: "SIGKILL") }, .notFound),
            ({ try client.restart("denied", timeout: 1) }, .forbidden),
        ]
        for (call, reason) in cases {
            XCTAssertThrowsError(try call()) { error in
                XCTAssertEqual((error as? ContainerEngineError)?.reason, reason, "\(error)")
            }
        }
        XCTAssertFalse(try client.stop("c1", timeout: 1), "304 means already stopped, not an error")
        // The pause reverter treats "not paused" as done.
        let record = FaultRecord(kind: ContainerPauseFault.kind, target: "t", summary: "s",
                                 revertData: ["host": "unix://" + socket, "id": "c1"])
        XCTAssertNoThrow(try ContainerPauseReverter().revert(record))
    }

    func testUnreachableEngineNamesTheSocket() {
        let client = DockerClient(host: DockerHost(endpoint: .unix(path: "/tmp/no-such-engine-\(getpid()).sock")))
        XCTAssertThrowsError(try client.engineInfo()) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unreachable)
        }
    }
}
