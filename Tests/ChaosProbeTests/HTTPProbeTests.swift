import XCTest
@testable import ChaosProbe

final class HTTPProbeTests: XCTestCase {
    static var server: LocalHTTPServer!

    override class func setUp() {
        server = try? LocalHTTPServer()
    }

    override class func tearDown() {
        server?.stop()
        server = nil
    }

    private func probe(_ path: String, method: String = "GET", status: String = "200-299", body: String? = nil,
                       maxLatency: Double? = nil, timeout: Double = 2,
                       headers: [(name: String, value: String)] = [], requestBody: String? = nil) throws -> HTTPProbe {
        let server = try XCTUnwrap(Self.server, "python3 HTTP server did not start")
        let request = ProbeHTTPRequest(method: method, url: server.baseURL + path, headers: headers,
                                       body: requestBody.map { Data($0.utf8) })
        return try HTTPProbe(request: request, transport: SocketHTTPTransport(), expectedStatus: StatusExpectation(status),
                             bodyPattern: body, maxLatency: maxLatency, timeout: timeout)
    }

    func testStatusExpectations() throws {
        XCTAssertEqual(try probe("/ok").check().ok, true)
        let unavailable = try probe("/status/503").check()
        XCTAssertFalse(unavailable.ok)
        XCTAssertEqual(unavailable.reason, "status 503 not in 200-299")
        XCTAssertNotNil(unavailable.latencyNanoseconds)
        XCTAssertTrue(try probe("/status/503", status: "503").check().ok)
        XCTAssertTrue(try probe("/status/404", status: "4xx").check().ok)
        XCTAssertTrue(try probe("/status/204", status: "200,204").check().ok)
    }

    func testStatusExpectationParsing() throws {
        XCTAssertEqual(try StatusExpectation("200-299").ranges, [200...299])
        XCTAssertEqual(try StatusExpectation("5xx").ranges, [500...599])
        XCTAssertEqual(try StatusExpectation("200, 301-302").ranges, [200...200, 301...302])
        for bad in ["", "abc", "299-200", "99", "700", "2xy"] {
            XCTAssertThrowsError(try StatusExpectation(bad), bad)
        }
    }

    func testBodyRegexAndRequestParts() throws {
        XCTAssertTrue(try probe("/ok", body: "status: (healthy|ok)").check().ok)
        let mismatch = try probe("/ok", body: "^ready$").check()
        XCTAssertEqual(mismatch.reason, "body does not match /^ready$/: status: healthy")
        // Method, header and body reach the server.
        XCTAssertTrue(try probe("/echo", method: "POST", body: "^POST chaos ping$",
                                headers: [(name: "X-Probe", value: "chaos")], requestBody: "ping").check().ok)
    }

    func testMaxLatencyAndTimeout() throws {
        let slow = try probe("/slow?ms=300", maxLatency: 0.1).check()
        XCTAssertFalse(slow.ok)
        XCTAssertTrue(slow.reason?.hasPrefix("latency") ?? false, slow.reason ?? "")
        XCTAssertGreaterThanOrEqual(slow.latencyNanoseconds ?? 0, 300_000_000)
        XCTAssertTrue(try probe("/slow?ms=50", maxLatency: 1).check().ok)
        let timedOut = try probe("/slow?ms=1500", timeout: 0.2).check()
        XCTAssertFalse(timedOut.ok)
        XCTAssertTrue(timedOut.reason?.contains("timed out") ?? false, timedOut.reason ?? "")
    }

    func testTransportFailureIsProbeFailure() throws {
        let listener = try TestTCPListener()
        let port = listener.port
        listener.close()
        let request = ProbeHTTPRequest(url: "http://127.0.0.1:\(port)/")
        let check = try HTTPProbe(request: request, transport: SocketHTTPTransport()).check()
        XCTAssertFalse(check.ok)
        XCTAssertTrue(check.reason?.contains("refused") ?? false, check.reason ?? "")
    }
}
