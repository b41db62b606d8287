import ChaosHTTP
import Foundation
import XCTest

final class UnixSocketTests: XCTestCase {
    func testRequestsOverAUnixSocket() throws {
        let path = NSTemporaryDirectory() + "chaoshttp-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let server = try TestServer(arguments: ["unix", path])
        defer { server.stop(); unlink(path) }
        let client = HTTPClient(HTTPClientConfiguration(baseURL: "http://localhost", transport: .unixSocket(path: path)))
        let response = try client.send(HTTPRequest(method: "POST", "/echo", body: Data("over-unix".utf8)))
        XCTAssertEqual(response.status, 200)
        let object = try response.jsonObject() as? [String: Any]
        XCTAssertEqual(object?["body"] as? String, "over-unix")
        XCTAssertEqual((object?["headers"] as? [String: String])?["host"], "localhost")

        var lines = 0
        _ = try client.streamLines(HTTPRequest("/stream?n=3&gap=0.01")) { _ in lines += 1; return true }
        XCTAssertEqual(lines, 3)
    }

    func testMissingSocketIsUnreachable() {
        let path = "/tmp/chaoshttp-no-such-\(getpid()).sock"
        let client = HTTPClient(HTTPClientConfiguration(baseURL: "http://localhost", transport: .unixSocket(path: path)))
        XCTAssertThrowsError(try client.get("/_ping")) { error in
            XCTAssertEqual((error as? HTTPError)?.kind, .unreachable)
            XCTAssertEqual((error as? HTTPError)?.exitCode, .unreachable)
        }
    }
}
