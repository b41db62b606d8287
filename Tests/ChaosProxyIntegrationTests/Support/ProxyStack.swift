import ChaosHTTP
import ChaosProxy
import ChaosProxyAPI
import ChaosProxyClient
import Foundation
import Glibc
import XCTest

/// The real thing on 127.0.0.1: a `ToxiproxyServer` over an `EpollProxyEngine`, an echo
/// upstream, and a `ToxiproxyClient` to drive the API. Everything is created through HTTP.
final class ProxyStack {
    let engine: EpollProxyEngine
    let server: ToxiproxyServer
    let upstream: EchoServer
    let client: ToxiproxyClient

    var api: String { "http://127.0.0.1:\(server.port)" }

    init(loops: Int = 2, seed: UInt64 = 7) throws {
        engine = EpollProxyEngine(loops: loops, seed: seed)
        server = ToxiproxyServer(dataPlane: engine, host: "127.0.0.1", port: 0)
        try server.start()
        upstream = try EchoServer()
        client = try ToxiproxyClient(baseURL: "http://127.0.0.1:\(server.port)", timeoutSeconds: 5)
    }

    func shutdown() {
        server.stop()
        engine.shutdown()
        upstream.stop()
    }

    /// Creates a proxy on a kernel-chosen port through the API and returns that port.
    func createProxy(_ name: String, upstream: String? = nil) throws -> UInt16 {
        let proxy = try client.createProxy(name: name, listen: "127.0.0.1:0", upstream: upstream ?? self.upstream.address)
        return try Self.port(of: proxy.listen)
    }

    static func port(of listen: String) throws -> UInt16 {
        guard let text = listen.split(separator: ":").last, let port = UInt16(text), port != 0 else {
            throw Sockets.Failure(description: "proxy reported no bound port: \(listen)")
        }
        return port
    }

    /// A raw API call (for routes the client has no method for, such as /populate).
    func call(_ method: String, _ path: String, body: String? = nil) throws -> HTTPResponse {
        var configuration = HTTPClientConfiguration(baseURL: "http://127.0.0.1:\(server.port)")
        configuration.timeout = 5
        return try HTTPClient(configuration).send(
            HTTPRequest(method: method, path, headers: [("Content-Type", "application/json")], body: body.map { Data($0.utf8) }))
    }

    struct TransferResult {
        var sent: Checksum
        var echoed: Checksum
        var upstreamReceived: Checksum?
        var end: Sockets.End
    }

    /// Sends `payload` through the proxy to the echo upstream and reads the echo to EOF, both
    /// directions at once. `progress` sees the running count of echoed bytes (to act
    /// mid-stream). The upstream's own checksum proves the upstream direction.
    func transfer(port: UInt16, payload: [UInt8], chunk: Int = 64 * 1024,
                  progress: ((Int) -> Void)? = nil) throws -> TransferResult {
        let endedBefore = upstream.receivedChecksums.count
        let fd = try Sockets.connect(port: port, receiveTimeout: 20)
        defer { close(fd) }
        let writer = Thread {
            var offset = 0
            while offset < payload.count {
                let end = min(offset + chunk, payload.count)
                guard Sockets.writeAll(fd, Array(payload[offset..<end])) else { return }
                offset = end
            }
            Glibc.shutdown(fd, Int32(SHUT_WR))
        }
        writer.start()
        var echoed = Checksum()
        let (_, end) = Sockets.drain(fd) { bytes in
            echoed.add(bytes)
            progress?(echoed.count)
        }
        // The upstream records its checksum once it has seen EOF and closed.
        var upstreamSum: Checksum?
        for _ in 0..<300 {
            let sums = upstream.receivedChecksums
            if sums.count > endedBefore { upstreamSum = sums.last; break }
            usleep(10_000)
        }
        return TransferResult(sent: .of(payload), echoed: echoed, upstreamReceived: upstreamSum, end: end)
    }

    /// One small request/response on an open connection; returns the round trip in seconds.
    static func ping(_ fd: Int32, _ message: [UInt8] = Array("ping".utf8)) -> Double? {
        let start = DispatchTime.now().uptimeNanoseconds
        guard Sockets.writeAll(fd, message), Sockets.readExactly(fd, message.count) == message else { return nil }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// Base class: one stack per test, torn down afterwards.
class IntegrationTestCase: XCTestCase {
    var stack: ProxyStack!

    override func setUpWithError() throws {
        stack = try ProxyStack()
    }

    override func tearDown() {
        stack?.shutdown()
        stack = nil
    }

    func assertByteExact(_ result: ProxyStack.TransferResult, _ label: String,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.upstreamReceived, result.sent, "\(label): upstream direction", file: file, line: line)
        XCTAssertEqual(result.echoed, result.sent, "\(label): downstream direction", file: file, line: line)
        XCTAssertEqual(result.end, .eof, "\(label): stream end", file: file, line: line)
    }
}
