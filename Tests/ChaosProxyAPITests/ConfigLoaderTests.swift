import ChaosProxy
import ChaosProxyAPI
import Foundation
import XCTest

/// Toxiproxy's `-config` file format, plus toxics; errors name file, field and value.
final class ConfigLoaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try FileManager.default.removeItem(at: directory) }

    private func write(_ text: String) throws -> String {
        let path = directory.appendingPathComponent("proxies.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func loadError(_ text: String) throws -> ProxyConfigError? {
        let path = try write(text)
        do { _ = try ProxyConfigLoader.load(path: path); return nil } catch let error as ProxyConfigError { return error }
    }

    func testLoadsToxiproxyFormatWithToxics() throws {
        let path = try write("""
            [{"name":"redis","listen":"127.0.0.1:0","upstream":"127.0.0.1:6379"},
             {"name":"pg","listen":"127.0.0.1:0","upstream":"127.0.0.1:5432","enabled":false,
              "toxics":[{"type":"latency","attributes":{"latency":100},"ttl":"5m"}]}]
            """)
        let definitions = try ProxyConfigLoader.load(path: path)
        XCTAssertEqual(definitions.map(\.name), ["redis", "pg"])
        XCTAssertEqual(definitions[1].enabled, false)
        XCTAssertEqual(definitions[1].toxics, [Toxic(name: "latency_downstream", type: .latency, attributes: ["latency": 100], ttlMs: 300_000)])
    }

    func testServerStartsConfigProxiesWithToxicsBeforeServing() throws {
        let definitions = try ProxyConfigLoader.parse(Array("""
            [{"name":"redis","listen":"127.0.0.1:0","upstream":"127.0.0.1:6379","toxics":[{"type":"bandwidth","attributes":{"rate":64}}]}]
            """.utf8), file: "inline.json")
        let harness = try APIHarness(config: definitions)
        XCTAssertEqual(harness.dataPlane.calls, [.start(name: "redis", listen: "127.0.0.1:0", upstream: "127.0.0.1:6379",
            toxics: [ToxicSpec(name: "bandwidth_downstream", stream: .downstream, toxicity: 1, kind: .bandwidth(rateKBps: 64))])])
        let listed = try harness.send("GET", "/proxies/redis/toxics")
        XCTAssertEqual(listed.body, "[{\"attributes\":{\"rate\":64},\"name\":\"bandwidth_downstream\",\"type\":\"bandwidth\",\"stream\":\"downstream\",\"toxicity\":1}]")
    }

    func testErrorsNameFileFieldAndValue() throws {
        let cases: [(String, String, String)] = [
            ("{\"name\":\"x\"}", "", "expected a JSON array of proxies, found object"),
            ("[{\"name\":\"x\",", "", "not valid JSON: unexpected EOF"),
            ("[1]", "[0]", "expected a proxy object"),
            ("[{\"name\":\"a\",\"upstream\":\"u:1\",\"listen\":26379}]", "[0].listen", "must be a string"),
            ("[{\"upstream\":\"u:1\"}]", "[0].name", "is required"),
            ("[{\"name\":\"a\"}]", "[0].upstream", "is required"),
            ("[{\"name\":\"a\",\"upstream\":\"u:1\",\"listen\":\"nope\"}]", "[0].listen",
             "listen tcp: address nope: missing port in address"),
            ("[{\"name\":\"a\",\"upstream\":\"u:1\"},{\"name\":\"a\",\"upstream\":\"u:2\"}]", "[1].name", "duplicate proxy name"),
            ("[{\"name\":\"a\",\"upstream\":\"u:1\",\"toxics\":[{\"type\":\"lag\"}]}]", "[0].toxics[0].type",
             "invalid toxic type (one of: latency, bandwidth, slicer, timeout, noop, slow_close, reset_peer, limit_data, refuse_connections, reset_connections)"),
            ("[{\"name\":\"a\",\"upstream\":\"u:1\",\"toxics\":[{\"type\":\"latency\",\"attributes\":{\"latency\":-5}}]}]",
             "[0].toxics[0].attributes.latency", "must be between 0 and 86400000 (ms)"),
            ("[{\"name\":\"a\",\"upstream\":\"u:1\",\"toxics\":[{\"type\":\"latency\",\"toxicity\":1.5}]}]",
             "[0].toxics[0].toxicity", "must be a number from 0 to 1"),
            ("[{\"name\":\"a\",\"upstream\":\"u:1\",\"toxics\":[{\"type\":\"latency\",\"stream\":\"sideways\"}]}]",
             "[0].toxics[0].stream", "must be upstream or downstream"),
            ("[{\"name\":\"a\",\"upstream\":\"u:1\",\"toxics\":[{\"type\":\"latency\"},{\"type\":\"latency\"}]}]",
             "[0].toxics", "toxic already exists"),
        ]
        for (text, field, reason) in cases {
            let error = try XCTUnwrap(try loadError(text), text)
            XCTAssertEqual(error.field, field, text)
            XCTAssertEqual(error.reason, reason, text)
            XCTAssertTrue(error.description.hasPrefix(directory.path), error.description)
        }
        let negative = try XCTUnwrap(try loadError("[{\"name\":\"a\",\"upstream\":\"u:1\",\"toxics\":[{\"type\":\"latency\",\"attributes\":{\"latency\":-5}}]}]"))
        XCTAssertEqual(negative.value, "-5")
        XCTAssertEqual(negative.description, "\(directory.path)/proxies.json: [0].toxics[0].attributes.latency: -5: must be between 0 and 86400000 (ms)")
    }

    func testMissingFileIsReported() {
        XCTAssertThrowsError(try ProxyConfigLoader.load(path: "/nonexistent/proxies.json")) {
            XCTAssertEqual("\($0)", "/nonexistent/proxies.json: cannot be read (missing or no permission)")
        }
    }

    func testServerStartFailsOnConfigPortConflict() throws {
        let harness = try APIHarness()
        XCTAssertEqual(try harness.send("POST", "/proxies", body: "{\"name\":\"a\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"u:1\"}").status, 201)
        let dataPlane = RecordingDataPlane()
        let server = ToxiproxyServer(dataPlane: dataPlane, port: 0,
                                     config: [ProxyDefinition(name: "b", listen: harness.listen(26379), upstream: "u:1")])
        XCTAssertThrowsError(try server.start()) {
            XCTAssertEqual("\($0)", "config: listen tcp \(harness.listen(26379)): bind: address already in use")
        }
        XCTAssertEqual(dataPlane.running, [])
    }
}
