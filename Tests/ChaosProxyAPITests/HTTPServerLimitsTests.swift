import ChaosHTTPServer
import ChaosProxyAPI
import Dispatch
import Foundation
import Glibc
import XCTest

/// `HTTPServer` on its own, with a trivial handler: connection cap, idle timeout and
/// many clients at once.
final class HTTPServerLimitsTests: XCTestCase {
    private func makeServer(_ configure: (inout HTTPServer.Options) -> Void) throws -> HTTPServer {
        var options = HTTPServer.Options()
        configure(&options)
        let server = HTTPServer(options: options) { request in
            HTTPServerResponse(status: 200, headers: [("Content-Type", "text/plain")], text: request.path)
        }
        try server.start(host: "127.0.0.1", port: 0)
        return server
    }

    func testAtTheCapTheLongestIdleConnectionMakesRoom() throws {
        let server = try makeServer { $0.maximumConnections = 2 }
        defer { server.stop() }
        let oldest = try RawHTTP.connect(port: server.port)
        defer { close(oldest) }
        // The first request marks it idle since then; the second connection is idle later.
        var pending: [UInt8] = []
        RawHTTP.write(oldest, "GET /first HTTP/1.1\r\n\r\n")
        XCTAssertEqual(try RawHTTP.readResponse(oldest, pending: &pending).body, "/first")
        let newer = try RawHTTP.connect(port: server.port)
        defer { close(newer) }
        RawHTTP.write(newer, "GET /second HTTP/1.1\r\n\r\n")
        pending = []
        XCTAssertEqual(try RawHTTP.readResponse(newer, pending: &pending).body, "/second")
        let third = try RawHTTP.exchange(port: server.port, "GET /third HTTP/1.1\r\n\r\n")
        XCTAssertEqual(third.body, "/third", "a new client is served, not refused")
        var byte: UInt8 = 0
        XCTAssertEqual(recv(oldest, &byte, 1, 0), 0, "the longest idle connection was closed to make room")
        RawHTTP.write(newer, "GET /still HTTP/1.1\r\n\r\n")
        pending = []
        XCTAssertEqual(try RawHTTP.readResponse(newer, pending: &pending).body, "/still")
    }

    func testOnlyConnectionsAllInHandlersMakeANewOneGet503() throws {
        let release = DispatchSemaphore(value: 0), entered = DispatchSemaphore(value: 0)
        var options = HTTPServer.Options()
        options.maximumConnections = 2
        let server = HTTPServer(options: options) { request in
            if request.path == "/block" { entered.signal(); release.wait() }
            return HTTPServerResponse(status: 200, text: request.path)
        }
        try server.start(host: "127.0.0.1", port: 0)
        defer { server.stop() }
        let first = try RawHTTP.connect(port: server.port), second = try RawHTTP.connect(port: server.port)
        defer { close(first); close(second) }
        RawHTTP.write(first, "GET /block HTTP/1.1\r\n\r\n")
        RawHTTP.write(second, "GET /block HTTP/1.1\r\n\r\n")
        XCTAssertEqual(entered.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(entered.wait(timeout: .now() + 10), .success)
        let refused = try? RawHTTP.exchange(port: server.port, "GET /x HTTP/1.1\r\n\r\n")
        XCTAssertEqual(refused?.statusLine, "HTTP/1.1 503 Service Unavailable")
        release.signal(); release.signal()
        var pending: [UInt8] = []
        XCTAssertEqual(try RawHTTP.readResponse(first, pending: &pending).body, "/block")
    }

    func testIdleConnectionIsClosed() throws {
        let server = try makeServer { $0.idleTimeoutSeconds = 1 }
        defer { server.stop() }
        let fd = try RawHTTP.connect(port: server.port)
        defer { close(fd) }
        let started = Date()
        var byte: UInt8 = 0
        XCTAssertEqual(recv(fd, &byte, 1, 0), 0, "server closed the idle connection")
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
    }

    func testManyConcurrentClients() throws {
        let server = try makeServer { _ in }
        defer { server.stop() }
        let failures = NSLock()
        var failed: [String] = []
        DispatchQueue.concurrentPerform(iterations: 16) { worker in
            for round in 0..<10 {
                let path = "/w\(worker)/r\(round)"
                do {
                    let response = try RawHTTP.exchange(port: server.port, "GET \(path) HTTP/1.1\r\n\r\n")
                    if response.body != path { failures.lock(); failed.append(path); failures.unlock() }
                } catch {
                    failures.lock(); failed.append("\(path): \(error)"); failures.unlock()
                }
            }
        }
        XCTAssertEqual(failed, [])
    }

    func testBindingABusyPortFails() throws {
        let server = try makeServer { _ in }
        defer { server.stop() }
        let second = HTTPServer { _ in HTTPServerResponse(status: 200) }
        XCTAssertThrowsError(try second.start(host: "127.0.0.1", port: server.port)) {
            XCTAssertEqual(($0 as? ChaosHTTPServerError)?.errno, EADDRINUSE)
        }
    }
}
