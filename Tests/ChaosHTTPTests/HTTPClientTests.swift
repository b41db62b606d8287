import ChaosCore
import ChaosHTTP
import Foundation
import XCTest

final class HTTPClientTests: XCTestCase {
    private var server: TestServer!
    private var client: HTTPClient!

    override func setUpWithError() throws {
        server = try TestServer(arguments: ["tcp"])
        client = HTTPClient(baseURL: "http://127.0.0.1:\(server.port)")
    }

    override func tearDown() {
        server?.stop()
    }

    private struct Echo: Decodable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    func testGetReturnsStatusHeadersBodyAndTiming() throws {
        let response = try client.get("/echo?x=1")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("x-test-server"), "chaos")
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        let echo = try response.decode(Echo.self)
        XCTAssertEqual(echo.method, "GET")
        XCTAssertEqual(echo.path, "/echo?x=1")
        XCTAssertEqual(echo.headers["user-agent"], "chaosctl")
        XCTAssertGreaterThan(response.totalTime, 0)
        XCTAssertLessThan(response.totalTime, 5)
    }

    func testMethodsBodiesAndHeaders() throws {
        for method in ["POST", "PUT", "PATCH", "DELETE"] {
            let request = HTTPRequest(method: method, "/echo", headers: [("X-One", "1")], body: Data("payload-\(method)".utf8))
            let echo = try client.send(request).decode(Echo.self)
            XCTAssertEqual(echo.method, method)
            XCTAssertEqual(echo.body, "payload-\(method)")
            XCTAssertEqual(echo.headers["x-one"], "1")
        }
        // POST without a body still sends Content-Length: 0 (Docker's kill/stop need that).
        let empty = try client.send(HTTPRequest(method: "POST", "/echo")).decode(Echo.self)
        XCTAssertEqual(empty.method, "POST")
        XCTAssertEqual(empty.headers["content-length"], "0")
        let head = try client.send(HTTPRequest(method: "HEAD", "/echo"))
        XCTAssertEqual(head.status, 200)
        XCTAssertTrue(head.body.isEmpty)
    }

    func testJSONHelpers() throws {
        struct Payload: Codable, Equatable { var name: String; var n: Int }
        let echo: Echo = try client.sendJSON(method: "POST", "/echo", Payload(name: "web", n: 3))
        XCTAssertEqual(echo.headers["content-type"], "application/json")
        XCTAssertEqual(try JSONDecoder().decode(Payload.self, from: Data(echo.body.utf8)), Payload(name: "web", n: 3))
        let got: Echo = try client.getJSON("/echo")
        XCTAssertEqual(got.headers["accept"], "application/json")
        XCTAssertThrowsError(try client.getJSON("/status/404", as: Echo.self)) { error in
            let status = error as? HTTPStatusError
            XCTAssertEqual(status?.response.status, 404)
            XCTAssertEqual(status?.exitCode, .notFound)
        }
    }

    func testErrorStatusesAreResponsesNotErrors() throws {
        for code in [400, 401, 403, 404, 409, 500] {
            let response = try client.get("/status/\(code)")
            XCTAssertEqual(response.status, code)
            XCTAssertFalse(response.isSuccess)
            XCTAssertTrue(response.text.contains("status \(code)"))
        }
    }

    func testNoContentAndNotModifiedCarryNoBodyAndTheConnectionStaysUsable() throws {
        for code in [204, 304] {
            let response = try client.get("/status/\(code)")
            XCTAssertEqual(response.status, code)
            XCTAssertTrue(response.body.isEmpty)
            XCTAssertNil(response.header("Content-Length"), "RFC 9110 8.6: no Content-Length on \(code)")
            XCTAssertEqual(try client.get("/echo").status, 200)
        }
    }

    func testUnauthorizedNamesItsScheme() throws {
        let response = try client.get("/auth")
        XCTAssertEqual(response.status, 401)
        XCTAssertEqual(response.header("WWW-Authenticate"), #"Bearer realm="chaos-test""#)
    }

    func testBearerTokenAndHeaderOverride() throws {
        XCTAssertEqual(try client.get("/auth").status, 401)
        var config = HTTPClientConfiguration(baseURL: "http://127.0.0.1:\(server.port)", bearerToken: "s3cret",
                                             headers: [("X-Default", "d"), ("X-Both", "default")])
        let authed = HTTPClient(config)
        XCTAssertEqual(try authed.get("/auth").status, 200)
        let echo = try authed.get("/echo", headers: [("X-Both", "request")]).decode(Echo.self)
        XCTAssertEqual(echo.headers["x-default"], "d")
        XCTAssertEqual(echo.headers["x-both"], "request")
        config.bearerToken = "wrong"
        XCTAssertEqual(try HTTPClient(config).get("/auth").status, 401)
    }

    func testTotalTimeoutNamesTheURL() throws {
        var config = HTTPClientConfiguration(baseURL: "http://127.0.0.1:\(server.port)")
        config.timeout = 0.5
        let start = Date()
        XCTAssertThrowsError(try HTTPClient(config).get("/slow?s=3")) { error in
            let e = error as? HTTPError
            XCTAssertEqual(e?.kind, .timeout)
            XCTAssertEqual(e?.exitCode, .unreachable)
            XCTAssertTrue("\(error)".contains("/slow?s=3"), "\(error)")
        }
        // Behaviour, not speed: the 0.5 s timeout was honoured (the .timeout kind above says
        // the 3 s response never arrived) and not reported early.
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.5)
        // A per-request timeout overrides the client's.
        XCTAssertEqual(try HTTPClient(config).send(HTTPRequest("/slow?s=0.8", timeout: 5)).status, 200)
    }

    func testConnectionRefusedIsUnreachable() throws {
        // Bind then close to learn a loopback port nothing listens on.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        close(fd)
        XCTAssertThrowsError(try HTTPClient(baseURL: "http://127.0.0.1:\(port)").get("/x")) { error in
            let e = error as? HTTPError
            XCTAssertEqual(e?.kind, .unreachable)
            XCTAssertEqual(e?.exitCode, .unreachable)
            XCTAssertTrue("\(error)".contains("127.0.0.1:\(port)/x"), "\(error)")
        }
    }

    func testStreamLinesReassemblesSplitChunks() throws {
        var seen: [Int] = []
        let response = try client.streamLines(HTTPRequest("/stream?n=4&gap=0.05")) { line in
            let object = try? JSONSerialization.jsonObject(with: line) as? [String: Int]
            seen.append(object?["seq"] ?? -1)
            return true
        }
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(seen, [0, 1, 2, 3])
    }

    func testStreamStopsWhenCallbackSaysSo() throws {
        var count = 0
        let start = Date()
        // 300 lines 0.1 s apart take 30 s: ending well before that means the callback stopped it.
        XCTAssertThrowsError(try client.streamLines(HTTPRequest("/stream?n=300&gap=0.1")) { _ in
            count += 1
            return count < 2
        }) { error in
            XCTAssertEqual((error as? HTTPError)?.kind, .cancelled)
        }
        XCTAssertEqual(count, 2)
        XCTAssertLessThan(Date().timeIntervalSince(start), 15)
    }

    func testCancellingAQuietStreamFromAnotherThread() throws {
        let token = CancellationToken()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { token.cancel() }
        let start = Date()
        XCTAssertThrowsError(try client.stream(HTTPRequest("/quiet"), token: token) { _ in true }) { error in
            XCTAssertEqual((error as? HTTPError)?.kind, .cancelled)
        }
        // libcurl polls the progress callback about once a second while idle, so this takes
        // ~1 s; the bound only says the cancel was not ignored until the 30 s total timeout
        // (the .cancelled kind above says the same from the other side).
        XCTAssertLessThan(Date().timeIntervalSince(start), 15)
    }

    func testStreamErrorStatusKeepsBody() throws {
        var chunks = 0
        let response = try client.stream(HTTPRequest("/status/404")) { _ in chunks += 1; return true }
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(chunks, 0)
        XCTAssertTrue(response.text.contains("status 404"))
    }

    func testConcurrentRequestsOnOneClient() throws {
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let ok = (try? client.get("/echo?i=\(i)").decode(Echo.self).path) == "/echo?i=\(i)"
            results.add(ok)
        }
        XCTAssertEqual(results.values.count, 16)
        XCTAssertTrue(results.values.allSatisfy { $0 })
    }
}

// @unchecked Sendable: the value is guarded by `lock`.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Bool] = []
    func add(_ v: Bool) { lock.lock(); values.append(v); lock.unlock() }
}
