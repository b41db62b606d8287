import ChaosHTTPServer
import ChaosProxyAPI
import XCTest

/// The incremental request parser on its own: framing, limits and odd arrivals.
final class HTTPRequestParserTests: XCTestCase {
    private func feedByteByByte(_ text: String, limits: HTTPRequestParser.Limits = .init()) throws -> [HTTPServerRequest] {
        var parser = HTTPRequestParser(limits: limits)
        var requests: [HTTPServerRequest] = []
        for byte in Array(text.utf8) {
            parser.append([byte][...])
            while let request = try parser.next() { requests.append(request) }
        }
        return requests
    }

    func testChunkedBodyArrivingByteByByte() throws {
        let requests = try feedByteByByte("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
                                          + "GET /next HTTP/1.1\r\n\r\n")
        XCTAssertEqual(requests.map(\.target), ["/p", "/next"])
        XCTAssertEqual(String(decoding: requests[0].body, as: UTF8.self), "abcde")
    }

    func testPipelinedRequestsInOneAppend() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("GET /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /c HTTP/1.1\r\n\r\n".utf8)[...])
        XCTAssertEqual(try parser.next()?.target, "/a")
        let second = try XCTUnwrap(try parser.next())
        XCTAssertEqual(second.body, Array("hi".utf8))
        XCTAssertEqual(try parser.next()?.target, "/c")
        XCTAssertNil(try parser.next())
        XCTAssertFalse(parser.hasPartialRequest)
    }

    func testChunkedBodyOverTheLimitIs413() {
        var limits = HTTPRequestParser.Limits()
        limits.maximumBodyBytes = 4
        XCTAssertThrowsError(try feedByteByByte("POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n", limits: limits)) {
            XCTAssertEqual(($0 as? HTTPParseError)?.status, 413)
        }
    }

    func testConflictingContentLengthsAreRefused() {
        XCTAssertThrowsError(try feedByteByByte("POST /p HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")) {
            XCTAssertEqual(($0 as? HTTPParseError)?.status, 400)
        }
    }

    func testUnsupportedTransferEncodingIs501() {
        XCTAssertThrowsError(try feedByteByByte("POST /p HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")) {
            XCTAssertEqual(($0 as? HTTPParseError)?.status, 501)
        }
    }

    func testPathIsDecodedAndAbsoluteFormAccepted() throws {
        let requests = try feedByteByByte("GET http://127.0.0.1:8474/proxies/has%20space?x=1 HTTP/1.1\r\n\r\n")
        XCTAssertEqual(requests.first?.path, "/proxies/has space")
    }
}
