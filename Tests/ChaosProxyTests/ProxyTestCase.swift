import ChaosProxy
import Foundation
import Glibc
import XCTest

/// Base for tests that run the real engine on loopback: one engine (2 loops, fixed seed)
/// per test, shut down afterwards.
class ProxyTestCase: XCTestCase {
    var engine: EpollProxyEngine!
    private var servers: [TestServer] = []

    override func setUp() {
        super.setUp()
        engine = EpollProxyEngine(loops: 2, seed: 42)
    }

    override func tearDown() {
        engine.shutdown()
        engine = nil
        for server in servers { server.stop() }
        servers.removeAll()
        super.tearDown()
    }

    /// Keep a server alive for the test and stop it afterwards.
    func track(_ server: TestServer) -> TestServer {
        servers.append(server)
        return server
    }

    /// Start proxy `name` on 127.0.0.1:0 to `server`; returns the proxy's port.
    func startProxy(_ name: String = "p", to server: TestServer, toxics: [ToxicSpec] = []) throws -> UInt16 {
        let address = try engine.start(proxy: name, listen: "127.0.0.1:0", upstream: "127.0.0.1:\(server.port)", toxics: toxics)
        return TestSockets.port(of: address)
    }

    /// A client socket through proxy "p" (with `toxics`) to a fresh echo server; the caller closes it.
    func connectThroughEcho(toxics: [ToxicSpec] = []) throws -> Int32 {
        let server = track(TestServer.echo())
        return try TestSockets.connect(port: startProxy(to: server, toxics: toxics))
    }

    static func toxic(_ name: String, _ stream: ToxicStream = .downstream, toxicity: Double = 1,
                      _ kind: ToxicKind) -> ToxicSpec {
        ToxicSpec(name: name, stream: stream, toxicity: toxicity, kind: kind)
    }

    /// A server that sends `body` then closes, behind a proxy with `toxics`: read it all
    /// through the proxy and time that from the connect.
    func timedDownload(_ body: [UInt8], toxics: [ToxicSpec]) throws -> (count: Int, end: TestSockets.ReadEnd, ms: Double) {
        let server = track(TestServer { fd in
            _ = TestSockets.writeAll(fd, body)
            close(fd)
        })
        let port = try startProxy(to: server, toxics: toxics)
        let start = DispatchTime.now().uptimeNanoseconds
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        let (count, end) = TestSockets.readAll(fd) { _ in }
        return (count, end, TestSockets.milliseconds(since: start))
    }

    /// Round trip of one small message through an echo server, in ms.
    func echoRoundTripMs(_ fd: Int32, _ message: [UInt8] = Array("ping".utf8)) -> Double? {
        let start = DispatchTime.now().uptimeNanoseconds
        guard TestSockets.writeAll(fd, message) else { return nil }
        let reply = TestSockets.readExactly(fd, message.count)
        guard reply == message else { return nil }
        return TestSockets.milliseconds(since: start)
    }
}

/// Collects what each server-side connection received.
// @unchecked Sendable: `entries` is guarded by `lock`.
final class ReceivedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(Checksum, TestSockets.ReadEnd)] = []
    func append(_ sum: Checksum, _ end: TestSockets.ReadEnd) { lock.withLock { entries.append((sum, end)) } }
    var all: [(Checksum, TestSockets.ReadEnd)] { lock.withLock { entries } }
}

/// Server side of a two-way transfer: sends `reply` then FIN while reading the client's
/// bytes to EOF at the same time.
func twoWayServer(reply: [UInt8], log: ReceivedLog) -> TestServer {
    TestServer { fd in
        let writer = Background { () -> Bool in
            TestSockets.writeAll(fd, reply) && shutdown(fd, Int32(SHUT_WR)) == 0
        }
        var sum = Checksum()
        let (_, end) = TestSockets.readAll(fd) { sum.add($0) }
        _ = writer.wait()
        log.append(sum, end)
        close(fd)
    }
}

/// Client side: send `payload` then FIN while reading the server's bytes to EOF.
func twoWayClient(port: UInt16, payload: [UInt8]) throws -> (Checksum, TestSockets.ReadEnd) {
    let fd = try TestSockets.connect(port: port)
    defer { close(fd) }
    let writer = Background { () -> Bool in
        TestSockets.writeAll(fd, payload) && shutdown(fd, Int32(SHUT_WR)) == 0
    }
    var sum = Checksum()
    let (_, end) = TestSockets.readAll(fd) { sum.add($0) }
    _ = writer.wait()
    return (sum, end)
}
