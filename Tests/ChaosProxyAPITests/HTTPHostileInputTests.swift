import ChaosHTTPServer
import Foundation
import Glibc
import XCTest

/// Hostile bytes sent over a real socket to `HTTPServer`: each gets its status (or a
/// close) and the server must still answer a normal request afterwards. The statuses
/// follow Go's net/http where it decides (transfer.go parseTransferEncoding/fixLength,
/// internal/chunked.go parseHexUint, httpguts.ValidHeaderFieldValue).
final class HTTPHostileInputTests: XCTestCase {
    private var server: HTTPServer!

    override func setUpWithError() throws {
        server = HTTPServer { request in
            HTTPServerResponse(status: 200, headers: [("Content-Type", "text/plain")],
                         text: "\(request.path) body=\(request.body.count)")
        }
        try server.start(host: "127.0.0.1", port: 0)
    }

    override func tearDown() {
        server.stop()
        server = nil
    }

    /// The status line's code the server answers `bytes` with, or 0 if it closed first.
    private func status(for bytes: [UInt8]) throws -> Int {
        let fd = try RawHTTP.connect(port: server.port)
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { break }  // the server may answer and close before reading it all
            offset += sent
        }
        var pending: [UInt8] = []
        do {
            return try RawHTTP.readResponse(fd, pending: &pending).status
        } catch let error as POSIXError where error.code == .ECONNRESET {
            return 0
        }
    }

    private func assertStatuses(_ cases: [(String, [UInt8], Int)], file: StaticString = #filePath, line: UInt = #line) throws {
        for (name, bytes, expected) in cases {
            XCTAssertEqual(try status(for: bytes), expected, name, file: file, line: line)
            let alive = try RawHTTP.exchange(port: server.port, "GET /alive HTTP/1.1\r\n\r\n")
            XCTAssertEqual(alive.body, "/alive body=0", "server still answers after \(name)", file: file, line: line)
        }
    }

    private func chunked(_ sizeLine: String, _ rest: String = "") -> [UInt8] {
        Array("POST /proxies HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\(sizeLine)\r\n\(rest)".utf8)
    }

    func testChunkSizesThatAreNotPlainHexAre400() throws {
        try assertStatuses([
            ("the issue's 60 bytes: negative size", chunked("-2"), 400),
            ("plus sign", chunked("+2", "ab\r\n0\r\n\r\n"), 400),
            ("0x prefix", chunked("0x2", "ab\r\n0\r\n\r\n"), 400),
            ("leading space", chunked(" 2", "ab\r\n0\r\n\r\n"), 400),
            ("empty size", chunked("", "0\r\n\r\n"), 400),
            ("17 hex digits", chunked("10000000000000000"), 400),
            ("data not followed by CRLF", chunked("2", "abX\r\n0\r\n\r\n"), 400),
        ])
    }

    func testHugeChunkSizesAndLinesNeverTrapOrHang() throws {
        try assertStatuses([
            ("Int64.max", chunked("7FFFFFFFFFFFFFFF"), 413),
            ("UInt64.max", chunked("FFFFFFFFFFFFFFFF"), 413),
            ("just over the body limit", chunked(String(8 * 1024 * 1024 + 1, radix: 16)), 413),
            ("10 000 leading zeros", chunked(String(repeating: "0", count: 10_000) + "1", "a\r\n0\r\n\r\n"), 400),
            ("10 000-byte extension", chunked("1;" + String(repeating: "e", count: 10_000), "a\r\n0\r\n\r\n"), 400),
            ("size line without end", Array(chunked(String(repeating: "1", count: 100_000)).dropLast(2)), 400),
            ("70 KiB of trailers", chunked("1", "a\r\n0\r\n" + String(repeating: "T: x\r\n", count: 12_000) + "\r\n"), 431),
            ("NUL in an extension", chunked("1;\u{0}", "a\r\n0\r\n\r\n"), 400),
        ])
    }

    func testValidChunkedBodiesStillWork() throws {
        try assertStatuses([
            ("extension and trailer", chunked("3;name=value", "abc\r\n0\r\nTrailer-Field: x\r\n\r\n"), 200),
            ("upper and lower hex", chunked("A", "0123456789\r\na\r\n0123456789\r\n0\r\n\r\n"), 200),
        ])
    }

    private func head(_ fields: String, body: String = "") -> [UInt8] {
        Array("POST /p HTTP/1.1\r\nHost: x\r\n\(fields)\r\n\(body)".utf8)
    }

    func testContentLengthAndTransferEncodingConflictsAre400Or501() throws {
        try assertStatuses([
            ("Content-Length with chunked", head("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", body: "3\r\nabc\r\n0\r\n\r\n"), 400),
            ("different Content-Lengths", head("Content-Length: 1\r\nContent-Length: 2\r\n", body: "ab"), 400),
            ("negative Content-Length", head("Content-Length: -1\r\n"), 400),
            ("signed Content-Length", head("Content-Length: +5\r\n", body: "abcde"), 400),
            ("overflowing Content-Length", head("Content-Length: 99999999999999999999999\r\n"), 400),
            ("hex Content-Length", head("Content-Length: 0x10\r\n"), 400),
            ("list Content-Length", head("Content-Length: 2, 2\r\n", body: "ab"), 400),
            ("empty Content-Length", head("Content-Length: \r\n"), 400),
            ("Content-Length over the limit", head("Content-Length: 8388609\r\n"), 413),
            ("two Transfer-Encoding fields", head("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n"), 501),
            ("chunked twice in one field", head("Transfer-Encoding: chunked, chunked\r\n", body: "0\r\n\r\n"), 501),
            ("gzip", head("Transfer-Encoding: gzip\r\n"), 501),
            ("identical Content-Lengths are one", head("Content-Length: 2\r\nContent-Length: 2\r\n", body: "ab"), 200),
        ])
    }

    func testHeadLimitsAre431() throws {
        let many = (0..<101).map { "X-\($0): y\r\n" }.joined()
        try assertStatuses([
            ("101 header fields", head(many), 431),
            ("70 KiB head", head("X-Big: " + String(repeating: "a", count: 70_000) + "\r\n"), 431),
            ("70 KiB head without an end", Array(head("X-Big: " + String(repeating: "a", count: 70_000)).dropLast(2)), 431),
        ])
    }

    func testControlBytesFoldingAndLineEndings() throws {
        try assertStatuses([
            ("obs-fold", head("X-A: a\r\n b\r\n"), 400),
            ("NUL in a value", head("X-A: a\u{0}b\r\n"), 400),
            ("bare CR in a value", head("X-A: a\rb\r\n"), 400),
            ("space before colon", head("X-A : a\r\n"), 400),
            ("NUL in the target", Array("GET /a\u{0}b HTTP/1.1\r\n\r\n".utf8), 400),
            ("unknown version", Array("GET / HTTP/2.0\r\n\r\n".utf8), 400),
            ("non-UTF-8 method", [0xFF, 0xFE, 0x20] + Array("/ HTTP/1.1\r\n\r\n".utf8), 400),
            ("only line feeds (Go accepts them)", Array("GET /lf HTTP/1.1\nHost: x\n\n".utf8), 200),
            ("non-UTF-8 in target and value", Array("GET /a".utf8) + [0xFF, 0xC3] + Array(" HTTP/1.1\r\nX-A: ".utf8) + [0xFF]
                + Array("\r\n\r\n".utf8), 200),
        ])
    }

    func testStrictPercentDecodingAndSegments() {
        XCTAssertEqual(HTTPServerRequest(method: "GET", target: "/a%+fb").path, "/a%+fb", "a sign is not a hex digit")
        XCTAssertEqual(HTTPServerRequest(method: "GET", target: "/a%2").path, "/a%2")
        XCTAssertEqual(HTTPServerRequest(method: "GET", target: "/proxies/a%2Fb/toxics/%2E%2E").pathSegments,
                       ["proxies", "a/b", "toxics", ".."])
        XCTAssertEqual(HTTPServerRequest(method: "GET", target: "/%FF").path, "/\u{FFFD}")
    }
}
