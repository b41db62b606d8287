import ChaosHTTPServer
import Foundation
import Glibc
import XCTest

/// Slowloris and idle clients against `HTTPServer` over real sockets: they must not
/// lock a normal client out (issue #11 item 3). Only answers are asserted, never
/// timings; scripts/bench-proxy.sh ("slow" section) measures the latency.
final class HTTPSlowClientTests: XCTestCase {
    private var sockets: [Int32] = []

    override func tearDown() {
        for fd in sockets { close(fd) }
        sockets = []
    }

    private func makeServer(_ configure: (inout HTTPServer.Options) -> Void = { _ in }) throws -> HTTPServer {
        var options = HTTPServer.Options()
        configure(&options)
        let server = HTTPServer(options: options) { request in HTTPServerResponse(status: 200, text: request.path) }
        try server.start(host: "127.0.0.1", port: 0)
        return server
    }

    /// `count` connections that sent nothing, and `count` that sent part of a head.
    private func holdSlowAndIdle(_ count: Int, port: UInt16) throws {
        for index in 0..<(2 * count) {
            let fd = try RawHTTP.connect(port: port)
            sockets.append(fd)
            if index % 2 == 1 { RawHTTP.write(fd, "GET /slow HTTP/1.1\r\nX-Slow: ") }
        }
    }

    private func assertNormalClientAnswered(port: UInt16, requests: Int, file: StaticString = #filePath, line: UInt = #line) {
        for round in 0..<requests {
            let response = try? RawHTTP.exchange(port: port, "GET /normal\(round) HTTP/1.1\r\n\r\n")
            XCTAssertEqual(response?.statusLine, "HTTP/1.1 200 OK", "request \(round)", file: file, line: line)
            XCTAssertEqual(response?.body, "/normal\(round)", file: file, line: line)
        }
    }

    func testAThousandSlowAndIdleClientsDoNotLockOutANormalClient() throws {
        let server = try makeServer()
        defer { server.stop() }
        try holdSlowAndIdle(500, port: server.port)  // the issue's budget, default options
        assertNormalClientAnswered(port: server.port, requests: 20)
    }

    func testSlowAndIdleClientsBeyondTheCapDoNotLockOutANormalClient() throws {
        let server = try makeServer { $0.maximumConnections = 100 }
        defer { server.stop() }
        try holdSlowAndIdle(150, port: server.port)
        assertNormalClientAnswered(port: server.port, requests: 20)
    }

    func testANewConnectionThatSendsNothingIsClosedAtTheRequestDeadline() throws {
        let server = try makeServer { $0.requestTimeoutSeconds = 0.5 }
        defer { server.stop() }
        let fd = try RawHTTP.connect(port: server.port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        XCTAssertEqual(recv(fd, &byte, 1, 0), 0, "closed long before the 60 s idle timeout")
    }

    func testSlowClientsAloneBeyondASmallCapDoNotLockOutANormalClient() throws {
        let server = try makeServer { $0.maximumConnections = 16 }
        defer { server.stop() }
        for _ in 0..<64 {
            let fd = try RawHTTP.connect(port: server.port)
            sockets.append(fd)
            RawHTTP.write(fd, "POST /slow HTTP/1.1\r\nContent-Length: 100\r\n\r\nab")
        }
        assertNormalClientAnswered(port: server.port, requests: 10)
    }

    func testATricklingRequestIsCutAtItsDeadline() throws {
        let server = try makeServer { $0.requestTimeoutSeconds = 0.5 }
        defer { server.stop() }
        let fd = try RawHTTP.connect(port: server.port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // One byte every 100 ms: each byte used to reset a 60 s receive timeout.
        let head = Array("GET /trickle HTTP/1.1\r\nX-Padding: \(String(repeating: "p", count: 200))\r\n\r\n".utf8)
        var received: [UInt8] = []
        for byte in head {
            _ = withUnsafeBytes(of: byte) { send(fd, $0.baseAddress, 1, Int32(MSG_NOSIGNAL)) }
            var chunk = [UInt8](repeating: 0, count: 512)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { received += chunk[0..<count] }
            if count == 0 { break }
        }
        let text = String(decoding: received, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 408 Request Timeout"), "got: \(text.prefix(40))")
    }

    func testBlankLinesDoNotKeepANewConnectionAlive() throws {
        let server = try makeServer { $0.requestTimeoutSeconds = 0.5 }
        defer { server.stop() }
        let fd = try RawHTTP.connect(port: server.port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var closed = false
        for _ in 0..<100 where !closed {  // up to 10 s of one CRLF every 100 ms
            RawHTTP.write(fd, "\r\n")
            var byte: UInt8 = 0
            closed = recv(fd, &byte, 1, 0) == 0
        }
        XCTAssertTrue(closed, "RFC 9112 allows blank lines before a request, not in place of one")
    }

    func testIdleConnectionsAreEvictedOldestFirst() throws {
        let server = try makeServer { $0.maximumConnections = 8 }
        defer { server.stop() }
        var idle: [Int32] = []
        for _ in 0..<8 {
            let fd = try RawHTTP.connect(port: server.port)
            sockets.append(fd)
            idle.append(fd)
            usleep(2_000)  // distinct idle-since times, in order
        }
        usleep(200_000)  // let the loop accept all eight
        // Three normal clients that stay connected: each one needs a place at the cap.
        for round in 0..<3 {
            let fd = try RawHTTP.connect(port: server.port)
            sockets.append(fd)
            RawHTTP.write(fd, "GET /normal\(round) HTTP/1.1\r\n\r\n")
            var pending: [UInt8] = []
            XCTAssertEqual(try RawHTTP.readResponse(fd, pending: &pending).body, "/normal\(round)")
        }
        var byte: UInt8 = 0
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        for fd in idle.prefix(3) {
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            XCTAssertEqual(recv(fd, &byte, 1, 0), 0, "the three oldest were closed")
        }
        RawHTTP.write(idle[7], "GET /kept HTTP/1.1\r\n\r\n")
        var pending: [UInt8] = []
        XCTAssertEqual(try RawHTTP.readResponse(idle[7], pending: &pending).body, "/kept", "the newest idle one stays")
    }

    /// Unfinished bodies held for all connections together stay within the budget: past
    /// it, the connection holding the most is closed and a normal client is still served.
    func testUnfinishedBodiesBeyondTheBufferBudgetCloseTheLargestHolder() throws {
        let server = try makeServer { $0.maximumBufferedBytes = 1536 * 1024 }
        defer { server.stop() }
        // Three connections send part of a promised body: 250 KiB of 1 MiB twice, then
        // 1 100 KiB of 2 MiB. Whatever order the server reads them in, when the total first
        // passes 1.5 MiB the third holds more than 1 000 KiB, so it is the one closed.
        var holders: [Int32] = []
        for (size, promised) in [(250 * 1024, 1 << 20), (250 * 1024, 1 << 20), (1100 * 1024, 2 << 20)] {
            let fd = try RawHTTP.connect(port: server.port)
            sockets.append(fd)
            holders.append(fd)
            RawHTTP.write(fd, "POST /big HTTP/1.1\r\nContent-Length: \(promised)\r\n\r\n" + String(repeating: "a", count: size))
        }
        // The largest holder is closed by the server: its read sees end of stream.
        var byte: UInt8 = 0
        let deadline = Date().addingTimeInterval(10)
        var closedByServer = false
        while Date() < deadline, !closedByServer {
            let count = recv(holders[2], &byte, 1, 0)
            closedByServer = count == 0 || (count < 0 && errno == ECONNRESET)
            if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNRESET { break }
        }
        XCTAssertTrue(closedByServer, "the connection holding the most unfinished bytes is closed")
        // The others keep their bodies (500 KiB; finishing one makes 1.25 MiB, within budget).
        let rest = String(repeating: "b", count: 1_048_576 - 250 * 1024)
        RawHTTP.write(holders[0], rest)
        var pending: [UInt8] = []
        let response = try RawHTTP.readResponse(holders[0], pending: &pending)
        XCTAssertEqual(response.status, 200)
        assertNormalClientAnswered(port: server.port, requests: 3)
    }
}
