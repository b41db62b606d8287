import XCTest

/// Toxiproxy behaviours the transcript implies but does not record directly.
final class ToxiproxyEdgeCaseTests: XCTestCase {
    private var harness: APIHarness!

    override func setUpWithError() throws {
        harness = try APIHarness()
        XCTAssertEqual(try harness.send("POST", "/proxies", body: "{\"name\":\"redis\",\"listen\":\"127.0.0.1:26379\",\"upstream\":\"127.0.0.1:17000\"}").status, 201)
    }

    override func tearDown() { harness = nil }

    private func assertError(_ response: RawResponse, _ status: Int, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.status, status, file: file, line: line)
        XCTAssertEqual(response.header("Content-Type"), "text/plain; charset=utf-8", file: file, line: line)
        XCTAssertEqual(response.body, "{\"error\":\"\(message)\",\"status\":\(status)}\n", file: file, line: line)
    }

    func testEmptyStreamIsInvalidButNullMeansDownstream() throws {
        assertError(try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"stream\":\"\"}"), 400,
                    "stream was invalid, can be either upstream or downstream")
        let response = try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"stream\":null,\"name\":\"\"}")
        XCTAssertEqual(jsonStringField("name", in: response.body), "latency_downstream")
    }

    func testStreamIsCaseInsensitive() throws {
        let response = try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"stream\":\"UpStream\"}")
        XCTAssertEqual(jsonStringField("stream", in: response.body), "upstream")
    }

    func testWrongBodyShapes() throws {
        assertError(try harness.send("POST", "/proxies/redis/toxics", body: "[]"), 400,
                    "bad request body: json: cannot unmarshal array into Go value of type toxics.ToxicWrapper")
        assertError(try harness.send("POST", "/proxies", body: "\"redis\""), 400,
                    "bad request body: json: cannot unmarshal string into Go value of type toxiproxy.Proxy")
        assertError(try harness.send("POST", "/proxies/redis", body: "{\"listen\":5}"), 400,
                    "bad request body: json: cannot unmarshal number into Go struct field Proxy.listen of type string")
        assertError(try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"latency\",\"toxicity\":\"1\"}"), 400,
                    "bad request body: json: cannot unmarshal string into Go struct field ToxicWrapper.toxicity of type float32")
        assertError(try harness.send("POST", "/proxies", body: "{\"name\":\"x\" \"listen\"}"), 400,
                    "bad request body: invalid character '\\\"' after object key:value pair")
    }

    func testMissingProxyIsCheckedBeforeTheBody() throws {
        assertError(try harness.send("POST", "/proxies/nope", body: "{"), 404, "proxy not found")
        assertError(try harness.send("POST", "/proxies/nope/toxics", body: "{"), 404, "proxy not found")
        assertError(try harness.send("PATCH", "/proxies/redis/toxics/nope", body: "{"), 404, "toxic not found")
    }

    func testRoutingEdges() throws {
        XCTAssertEqual(try harness.send("GET", "/proxies/").body, "404 page not found\n")
        XCTAssertEqual(try harness.send("GET", "/proxies//toxics").body, "404 page not found\n")
        XCTAssertEqual(try harness.send("GET", "/proxies/redis/toxics/").body, "404 page not found\n")
        let head = try harness.send("HEAD", "/proxies")
        XCTAssertEqual(head.statusLine, "HTTP/1.1 405 Method Not Allowed")
        XCTAssertNil(head.header("Content-Length"))
        XCTAssertNil(head.header("X-Toxiproxy-Request-Id"))
        // A browser is refused on routes only; unknown paths stay 404.
        let browser = [("User-Agent", "Mozilla/5.0")]
        XCTAssertEqual(try harness.send("GET", "/nothing", headers: browser).status, 404)
        XCTAssertEqual(try harness.send("DELETE", "/proxies/redis", headers: browser).status, 403)
        XCTAssertEqual(try harness.send("GET", "/proxies/redis").status, 200, "the 403 changed nothing")
    }

    func testToxicsOnADisabledProxyAreKeptAndShown() throws {
        XCTAssertEqual(try harness.send("POST", "/proxies/redis", body: "{\"enabled\":false}").status, 200)
        XCTAssertEqual(try harness.send("POST", "/proxies/redis/toxics", body: "{\"type\":\"limit_data\",\"attributes\":{\"bytes\":9}}").status, 200)
        XCTAssertEqual(try harness.send("GET", "/proxies/redis/toxics").body,
                       "[{\"attributes\":{\"bytes\":9},\"name\":\"limit_data_downstream\",\"type\":\"limit_data\",\"stream\":\"downstream\",\"toxicity\":1}]")
        XCTAssertEqual(try harness.send("DELETE", "/proxies/redis/toxics/limit_data_downstream").status, 204)
    }
}
