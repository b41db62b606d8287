import ChaosProxy
@testable import ChaosProxyAPI
import ChaosProxyClient
import XCTest

/// Proxy and toxic names: which are refused, which are escaped on the way out, and that
/// every accepted one can be inspected and deleted (issue #11 item 4).
final class ResourceNameTests: XCTestCase {
    private var harness: APIHarness!

    override func setUpWithError() throws { harness = try APIHarness() }
    override func tearDown() { harness = nil }

    private func create(_ nameJSON: String, upstream: String = "127.0.0.1:17000") throws -> RawResponse {
        try harness.send("POST", "/proxies",
                         body: "{\"name\":\(nameJSON),\"listen\":\"127.0.0.1:0\",\"upstream\":\"\(upstream)\"}")
    }

    func testNamesThatCannotBeShownOrAddressedAreRefused() throws {
        let injected = try create("\"a\\nb\\r\\nX-Injected: 1\"")
        XCTAssertEqual(injected.status, 400)
        XCTAssertEqual(injected.body,
                       "{\"error\":\"invalid proxy name \\\"a\\\\nb\\\\r\\\\nX-Injected: 1\\\": control characters are not allowed\",\"status\":400}\n")
        XCTAssertEqual(try create("\"nul\\u0000\"").status, 400)
        XCTAssertEqual(try create("\"..\"").status, 400)
        XCTAssertEqual(try create("\".\"").status, 400)
        XCTAssertEqual(try create("\"ok\"", upstream: "127.0.0.1:1\\r\\nX: y").status, 400, "upstream with CRLF")
        XCTAssertEqual(try create("\"ok\"").status, 201)
        let toxic = try harness.send("POST", "/proxies/ok/toxics", body: "{\"name\":\"t\\r\\nx\",\"type\":\"latency\"}")
        XCTAssertEqual(toxic.status, 400)
        XCTAssertEqual(try harness.send("POST", "/proxies/ok/toxics", body: "{\"name\":\"..\",\"type\":\"latency\"}").status, 400)
        let list = try harness.send("GET", "/proxies")
        XCTAssertEqual(jsonStringField("name", in: list.body), "ok", "nothing else was stored")
        XCTAssertEqual(try harness.send("GET", "/proxies/ok/toxics").body, "[]")
    }

    func testNamesWithASlashCanBeInspectedAndDeleted() throws {
        XCTAssertEqual(try create("\"a/b\"").status, 201)
        let shown = try harness.send("GET", "/proxies/a%2Fb")
        XCTAssertEqual(shown.status, 200)
        XCTAssertEqual(jsonStringField("name", in: shown.body), "a/b")
        let added = try harness.send("POST", "/proxies/a%2Fb/toxics", body: "{\"name\":\"x/y\",\"type\":\"latency\"}")
        XCTAssertEqual(added.status, 200)
        XCTAssertEqual(try harness.send("GET", "/proxies/a%2Fb/toxics/x%2Fy").status, 200)
        XCTAssertEqual(try harness.send("DELETE", "/proxies/a%2Fb/toxics/x%2Fy").status, 204)
        // The library client encodes names the same way.
        let client = try ToxiproxyClient(baseURL: "http://127.0.0.1:\(harness.port)")
        XCTAssertEqual(try client.proxy("a/b").name, "a/b")
        try client.deleteProxy("a/b")
        XCTAssertEqual(try harness.send("GET", "/proxies").body, "{}")
    }

    func testMetricsEscapeEveryLineBreakAndControlCharacter() {
        let hostile = ProxyState(name: "a\nb\r\nX-Injected: 1", listen: "127.0.0.1:1", upstream: "u\u{0}v\"\\", enabled: true)
        let text = PrometheusRenderer.render([(hostile, ProxyCounters())])
        XCTAssertFalse(text.unicodeScalars.contains("\r"), "no raw CR")
        XCTAssertFalse(text.unicodeScalars.contains("\u{0}"), "no raw NUL")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            XCTAssertTrue(line.hasPrefix("# ") || line.hasPrefix("toxiproxy_proxy_") || line.hasPrefix("chaosctl_proxy_"),
                          "every line is a comment or a sample: \(line)")
        }
        XCTAssertTrue(text.contains("proxy=\"a\\nb\u{FFFD}\\nX-Injected: 1\""), text)
        XCTAssertTrue(text.contains("upstream=\"u\u{FFFD}v\\\"\\\\\""), text)
    }

    func testConfigFileNamesAreCheckedWithTheirField() {
        let config = Array("[{\"name\":\"bad\\u0007\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:1\"}]".utf8)
        XCTAssertThrowsError(try ProxyConfigLoader.parse(config, file: "proxies.json")) { error in
            let failure = error as? ProxyConfigError
            XCTAssertEqual(failure?.field, "[0].name")
            XCTAssertEqual(failure?.value, "bad\\u{7}")
        }
    }
}
