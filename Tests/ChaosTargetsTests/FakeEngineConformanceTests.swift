import ChaosHTTP
import ChaosTargets
import ChaosTestSupport
import Foundation
import XCTest

/// Fixtures/fake_engine.py against the real engines it stands in for: the same requests,
/// in the same order, to a real dockerd (or Podman) and to the fake holding one container
/// with the real one's ID, name and labels; every status code and every error message must
/// match. This is what keeps the fake from drifting into answers no engine gives.
final class FakeEngineConformanceTests: XCTestCase {
    private var fake: Process?
    private var socket = ""

    override func tearDown() {
        if let fake, fake.isRunning {
            kill(fake.processIdentifier, SIGTERM)
            fake.waitUntilExit()
        }
        for path in [socket, socket + ".log", socket + ".scenario.json"] { unlink(path) }
    }

    func testFakeAnswersLikeARealDockerd() throws {
        try compare(.docker)
    }

    func testFakeAnswersLikeARealPodman() throws {
        try compare(.podman)
    }

    private func compare(_ kind: DockerTestEngine.Kind) throws {
        let (acquired, reason) = DockerTestEngine.acquire(kind)
        guard let real = acquired else { throw fixtureUnavailable("no \(kind) engine: \(reason)") }
        defer { real.release() }
        let tag = UInt32.random(in: 0...UInt32.max)
        let label = "chaosctl.conformance=\(tag)"
        let name = "conf-\(tag)"
        let id = try real.startContainer(name: name, labels: ["chaosctl.conformance": "\(tag)", "app": "web"])
        defer { real.removeContainers(label: label) }
        let server = try real.http.send(HTTPRequest("/_ping")).header("Server") ?? ""
        let fakeHTTP = try startFake(server: server, container: ["id": id, "name": name, "state": "running",
                                                                 "labels": ["chaosctl.conformance": "\(tag)", "app": "web"]])
        let filter = #"{"label":["\#(label)"]}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let steps: [(String, String)] = [
            ("GET", "/_ping"),
            ("GET", "/v1.41/containers/json?all=1&filters=\(filter)"),
            ("POST", "/v1.41/containers/\(id)/kill?signal=SIGKILL"),
            ("POST", "/v1.41/containers/\(id)/kill?signal=SIGKILL"),
            ("GET", "/v1.41/containers/json?all=0&filters=\(filter)"),
            ("POST", "/v1.41/containers/\(id)/start"),
            ("POST", "/v1.41/containers/\(id)/start"),
            ("POST", "/v1.41/containers/\(name)/stop?t=1"),
            ("POST", "/v1.41/containers/\(name)/stop?t=1"),
            ("POST", "/v1.41/containers/\(name)/start"),
            ("POST", "/v1.41/containers/\(id)/pause"),
            ("POST", "/v1.41/containers/\(id)/pause"),
            ("GET", "/v1.41/containers/\(id)/json"),
            ("POST", "/v1.41/containers/\(id)/kill"),
            ("POST", "/v1.41/containers/\(id)/unpause"),
            ("POST", "/v1.41/containers/\(id)/restart?t=1"),
            ("POST", "/v1.41/containers/\(name)/kill?signal=SIGBOGUS"),
            ("POST", "/v1.41/containers/\(id.prefix(12))/kill?signal=9"),
            ("GET", "/v1.41/containers/\(id)/json"),
            ("POST", "/v1.41/containers/doesnotexist-\(tag)/kill?signal=SIGKILL"),
            ("POST", "/v1.41/containers/doesnotexist-\(tag)/pause"),
            ("GET", "/v1.41/containers/doesnotexist-\(tag)/json"),
            ("GET", "/v1.99/_ping"),
            ("GET", "/v1.41/nosuchendpoint"),
            ("GET", "/v1.41/containers/json?filters=notjson"),
        ]
        for (method, path) in steps {
            let step = "\(kind) \(method) \(path)"
            let expected = try real.http.send(HTTPRequest(method: method, path))
            let got = try fakeHTTP.send(HTTPRequest(method: method, path))
            XCTAssertEqual(got.status, expected.status, step)
            XCTAssertEqual(Self.essence(got), Self.essence(expected), step)
        }
    }

    /// What a client can rely on in a body: an error's message, a list's names and states,
    /// an inspect's state flags, or the text. Timestamps, PIDs and images differ by nature.
    private static func essence(_ response: HTTPResponse) -> String {
        let json = try? response.jsonObject()
        if let object = json as? [String: Any] {
            if let message = object["message"] as? String { return "message: " + message }
            if let state = object["State"] as? [String: Any] {
                return "state: \(state["Status"] ?? "-") running \(state["Running"] ?? "-") paused \(state["Paused"] ?? "-")"
            }
        }
        if let list = json as? [[String: Any]] {
            return "list: " + list.map { "\($0["Names"] ?? "-") \($0["State"] ?? "-")" }.joined(separator: ", ")
        }
        return "text: " + response.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func startFake(server: String, container: [String: Any]) throws -> HTTPClient {
        socket = NSTemporaryDirectory() + "fake-engine-conf-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let scenario = socket + ".scenario.json"
        try JSONSerialization.data(withJSONObject: ["containers": [container]]).write(to: URL(fileURLWithPath: scenario))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/fake_engine.py").path
        p.arguments = ["python3", fixture, socket, "1.41", server]
        p.environment = ProcessInfo.processInfo.environment.merging(["FAKE_ENGINE_SCENARIO": scenario]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        fake = p
        guard String(decoding: out.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("READY") else {
            throw fixtureUnavailable("python3 fake engine did not start")
        }
        return HTTPClient(DockerHost(endpoint: .unix(path: socket)).httpConfiguration(timeout: 60))
    }
}
