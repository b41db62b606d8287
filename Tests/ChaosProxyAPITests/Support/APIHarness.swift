import ChaosProxyAPI
import Foundation
import Glibc
import XCTest

/// A `ToxiproxyServer` on a free loopback port over a `RecordingDataPlane`, plus a map
/// from the transcript's fixed listen ports (26379…) to free ports, so tests never
/// collide with anything else on the machine. Free ports are 5 digits like the
/// transcript's, so Content-Length values stay the same after substitution.
final class APIHarness {
    let dataPlane = RecordingDataPlane()
    let server: ToxiproxyServer
    private(set) var replacements: [(String, String)] = []

    var port: UInt16 { server.port }

    init(token: String? = nil, config: [ProxyDefinition] = []) throws {
        server = ToxiproxyServer(dataPlane: dataPlane, host: "127.0.0.1", port: 0, token: token, config: config)
        try server.start()
        var used: Set<UInt16> = []
        for transcriptPort in 26379...26392 {
            var free = Self.freePort()
            while free < 10000 || used.contains(free) { free = Self.freePort() }
            used.insert(free)
            replacements.append(("127.0.0.1:\(transcriptPort)", "127.0.0.1:\(free)"))
            replacements.append(("localhost:\(transcriptPort)", "localhost:\(free)"))
        }
    }

    deinit {
        server.stop()
        dataPlane.stopAll()
    }

    /// Maps an address that appears literally in the transcript to the one used here.
    func addReplacement(_ from: String, _ to: String) { replacements.append((from, to)) }

    /// The text with the transcript's ports swapped for this run's.
    func fix(_ text: String) -> String {
        var out = text
        for (from, to) in replacements { out = out.replacingOccurrences(of: from, with: to) }
        return out
    }

    /// The transcript port's stand-in, e.g. `listen(26379)` → "127.0.0.1:4xxxx".
    func listen(_ transcriptPort: Int) -> String { fix("127.0.0.1:\(transcriptPort)") }

    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                _ = bind(fd, pointer, length)
                return getsockname(fd, pointer, &length)
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Sends a request as curl did in the transcript (ports fixed up) and reads the reply.
    func send(_ method: String, _ path: String, body: String? = nil, headers: [(String, String)] = []) throws -> RawResponse {
        try RawHTTP.exchange(port: port, RawHTTP.request(method, path, body: body.map(fix), headers: headers),
                             head: method == "HEAD")
    }

    /// Asserts status line, headers (in order; Date ignored; request id any 20-char xid)
    /// and body byte for byte. Content-Length is expected to equal the body's length.
    func assertResponse(_ response: RawResponse, statusLine: String, headers: [(String, String)], body: String,
                        _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.statusLine, statusLine, message, file: file, line: line)
        let expectedBody = fix(body)
        XCTAssertEqual(response.body, expectedBody, message, file: file, line: line)
        let expectedHeaders = headers.map { header -> String in
            if header.0 == "Content-Length", header.1 != "0" { return "Content-Length: \(expectedBody.utf8.count)" }
            if header.0 == "X-Toxiproxy-Request-Id" { return "X-Toxiproxy-Request-Id: *" }
            return "\(header.0): \(header.1)"
        }
        let actualHeaders = response.headers.filter { $0.name != "Date" }.map { header -> String in
            if header.name == "X-Toxiproxy-Request-Id" {
                XCTAssertEqual(header.value.count, 20, "request id shape", file: file, line: line)
                return "X-Toxiproxy-Request-Id: *"
            }
            return "\(header.name): \(header.value)"
        }
        XCTAssertEqual(actualHeaders, expectedHeaders, message, file: file, line: line)
        XCTAssertNotNil(response.header("Date"), "Date header", file: file, line: line)
    }
}
