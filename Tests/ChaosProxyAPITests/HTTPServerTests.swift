import ChaosHTTPServer
import ChaosProxyAPI
import Glibc
import XCTest

/// The hand-written HTTP/1.1 server: keep-alive, pipelining, chunked and
/// 100-continue bodies, limits, and malformed input.
final class HTTPServerTests: XCTestCase {
    private var harness: APIHarness!

    override func setUpWithError() throws { harness = try APIHarness() }
    override func tearDown() { harness = nil }

    private func createBody(_ name: String) -> String {
        "{\"name\":\"\(name)\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:17000\"}"
    }

    func testKeepAliveServesSeveralRequestsOnOneConnection() throws {
        let fd = try RawHTTP.connect(port: harness.port)
        defer { close(fd) }
        var pending: [UInt8] = []
        for _ in 0..<3 {
            RawHTTP.write(fd, RawHTTP.request("GET", "/version"))
            let response = try RawHTTP.readResponse(fd, pending: &pending)
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.body, "{\"version\": \"2.12.0\"}\n")
            XCTAssertNil(response.header("Connection"))
        }
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        let fd = try RawHTTP.connect(port: harness.port)
        defer { close(fd) }
        RawHTTP.write(fd, RawHTTP.request("POST", "/proxies", body: createBody("p1"))
                      + RawHTTP.request("GET", "/proxies/p1") + RawHTTP.request("DELETE", "/proxies/p1")
                      + RawHTTP.request("GET", "/proxies/p1"))
        var pending: [UInt8] = []
        XCTAssertEqual(try RawHTTP.readResponse(fd, pending: &pending).status, 201)
        XCTAssertEqual(try RawHTTP.readResponse(fd, pending: &pending).status, 200)
        XCTAssertEqual(try RawHTTP.readResponse(fd, pending: &pending).status, 204)
        let last = try RawHTTP.readResponse(fd, pending: &pending)
        XCTAssertEqual(last.status, 404)
        XCTAssertEqual(last.body, "{\"error\":\"proxy not found\",\"status\":404}\n")
    }

    func testChunkedRequestBody() throws {
        let body = createBody("chunky")
        let first = String(body.prefix(10)), second = String(body.dropFirst(10))
        let request = "POST /proxies HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + String(first.utf8.count, radix: 16) + ";ext=1\r\n" + first + "\r\n"
            + String(second.utf8.count, radix: 16) + "\r\n" + second + "\r\n0\r\nTrailer: x\r\n\r\n"
        let response = try RawHTTP.exchange(port: harness.port, request)
        XCTAssertEqual(response.status, 201)
        XCTAssertTrue(response.body.hasPrefix("{\"name\":\"chunky\""))
    }

    func testExpectContinueGetsInterimResponseBeforeBody() throws {
        let fd = try RawHTTP.connect(port: harness.port)
        defer { close(fd) }
        let body = createBody("expecting")
        RawHTTP.write(fd, "POST /proxies HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(fd, &buffer, buffer.count, 0)
        XCTAssertEqual(String(decoding: buffer[0..<max(count, 0)], as: UTF8.self), "HTTP/1.1 100 Continue\r\n\r\n")
        RawHTTP.write(fd, body)
        var pending: [UInt8] = []
        XCTAssertEqual(try RawHTTP.readResponse(fd, pending: &pending).status, 201)
    }

    func testRequestArrivingByteByByte() throws {
        let fd = try RawHTTP.connect(port: harness.port)
        defer { close(fd) }
        for character in RawHTTP.request("POST", "/proxies", body: createBody("slow")) {
            RawHTTP.write(fd, String(character))
        }
        var pending: [UInt8] = []
        XCTAssertEqual(try RawHTTP.readResponse(fd, pending: &pending).status, 201)
    }

    func testConnectionCloseIsHonoured() throws {
        let fd = try RawHTTP.connect(port: harness.port)
        defer { close(fd) }
        RawHTTP.write(fd, RawHTTP.request("GET", "/version", keepAlive: false))
        var pending: [UInt8] = []
        let response = try RawHTTP.readResponse(fd, pending: &pending)
        XCTAssertEqual(response.header("Connection"), "close")
        var byte: UInt8 = 0
        XCTAssertEqual(recv(fd, &byte, 1, 0), 0, "server closes after Connection: close")
    }

    func testHTTP10ClosesWithoutKeepAlive() throws {
        let fd = try RawHTTP.connect(port: harness.port)
        defer { close(fd) }
        RawHTTP.write(fd, "GET /version HTTP/1.0\r\n\r\n")
        var pending: [UInt8] = []
        XCTAssertEqual(try RawHTTP.readResponse(fd, pending: &pending).status, 200)
        var byte: UInt8 = 0
        XCTAssertEqual(recv(fd, &byte, 1, 0), 0)
    }

    func testOversizedBodyIsRefusedWith413() throws {
        let response = try RawHTTP.exchange(port: harness.port,
                                            "POST /proxies HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n")
        XCTAssertEqual(response.statusLine, "HTTP/1.1 413 Request Entity Too Large")
        XCTAssertEqual(response.header("Connection"), "close")
    }

    func testOversizedHeadIsRefusedWith431() throws {
        let response = try RawHTTP.exchange(port: harness.port,
                                            "GET /version HTTP/1.1\r\nX-Big: \(String(repeating: "a", count: 70_000))\r\n\r\n")
        XCTAssertEqual(response.status, 431)
    }

    func testMalformedRequestLineIsA400() throws {
        for request in ["NONSENSE\r\n\r\n", "GET /version HTTP/2.0\r\n\r\n", "GET /version HTTP/1.1\r\nbad header\r\n\r\n",
                        "POST /proxies HTTP/1.1\r\nContent-Length: 1x\r\n\r\n"] {
            let response = try RawHTTP.exchange(port: harness.port, request)
            XCTAssertEqual(response.statusLine, "HTTP/1.1 400 Bad Request", request)
            XCTAssertEqual(response.body, "400 Bad Request", request)
        }
    }

    func testStopClosesIdleConnections() throws {
        let fd = try RawHTTP.connect(port: harness.port)
        defer { close(fd) }
        harness.server.stop()
        var byte: UInt8 = 0
        XCTAssertLessThanOrEqual(recv(fd, &byte, 1, 0), 0)
        XCTAssertThrowsError(try RawHTTP.connect(port: harness.port))
    }
}
