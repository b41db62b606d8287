import ChaosTestSupport
import ChaosProxy
import Foundation
import Glibc
import XCTest

/// Upstream changes, the connection view, dial failures, IPv6 and descriptor exhaustion.
final class LifecycleTests: ProxyTestCase {
    func testUpdateSendsNewConnectionsToTheNewUpstreamOnly() throws {
        let first = track(TestServer { fd in _ = TestSockets.writeAll(fd, Array("one".utf8)); _ = TestSockets.readAll(fd) { _ in }; close(fd) })
        let second = track(TestServer { fd in _ = TestSockets.writeAll(fd, Array("two".utf8)); _ = TestSockets.readAll(fd) { _ in }; close(fd) })
        let port = try startProxy(to: first)
        let old = try TestSockets.connect(port: port)
        defer { close(old) }
        XCTAssertEqual(TestSockets.readExactly(old, 3), Array("one".utf8))
        try engine.update(proxy: "p", upstream: "localhost:\(second.port)")
        let new = try TestSockets.connect(port: port)
        defer { close(new) }
        XCTAssertEqual(TestSockets.readExactly(new, 3), Array("two".utf8))
        // Byte counts are bumped right after each write: wait for the second one to land.
        XCTAssertTrue(TestSockets.waitUntil(seconds: 2) { self.engine.connections(proxy: "p").map { $0.bytesDownstream } == [3, 3] })
        let infos = engine.connections(proxy: "p")
        XCTAssertEqual(infos.map { $0.upstream }, ["127.0.0.1:\(first.port)", "127.0.0.1:\(second.port)"])
        XCTAssertEqual(infos.map { $0.bytesDownstream }, [3, 3])
        XCTAssertTrue(infos.allSatisfy { $0.client.hasPrefix("127.0.0.1:") && $0.ageSeconds >= 0 })
        XCTAssertThrowsError(try engine.update(proxy: "nope", upstream: "127.0.0.1:1"))
    }

    func testAnUnresolvableUpstreamIsAcceptedAndItsConnectionsClosed() throws {
        // As in Toxiproxy, which dials per connection: the proxy starts, connections fail.
        let address = try engine.start(proxy: "p", listen: "127.0.0.1:0", upstream: "no-such-host.invalid:80", toxics: [])
        let client = try TestSockets.connect(port: TestSockets.port(of: address))
        defer { close(client) }
        XCTAssertEqual(TestSockets.readAll(client) { _ in }.end, .eof)
        // Updating to a good upstream brings the proxy to life.
        let server = track(TestServer.echo())
        try engine.update(proxy: "p", upstream: "127.0.0.1:\(server.port)")
        let fine = try TestSockets.connect(port: TestSockets.port(of: address))
        defer { close(fine) }
        XCTAssertNotNil(echoRoundTripMs(fine))
        try engine.update(proxy: "p", upstream: "missing-port")
        let failing = try TestSockets.connect(port: TestSockets.port(of: address))
        defer { close(failing) }
        XCTAssertEqual(TestSockets.readAll(failing) { _ in }.end, .eof)
    }

    func testUnreachableUpstreamClosesTheClient() throws {
        let (fd, deadPort) = TestSockets.listen()
        close(fd)  // nothing listens there any more
        let address = try engine.start(proxy: "p", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(deadPort)", toxics: [])
        let client = try TestSockets.connect(port: TestSockets.port(of: address))
        defer { close(client) }
        XCTAssertEqual(TestSockets.readAll(client) { _ in }.end, .eof)
        XCTAssertTrue(TestSockets.waitUntil(seconds: 2) { self.engine.counters(proxy: "p").activeConnections == 0 })
    }

    func testIPv6LoopbackWhenAvailable() throws {
        let server = track(TestServer.echo())
        let address: String
        do {
            address = try engine.start(proxy: "v6", listen: "[::1]:0", upstream: "127.0.0.1:\(server.port)", toxics: [])
        } catch {
            throw fixtureUnavailable("no IPv6 loopback here: \(error)")
        }
        XCTAssertTrue(address.hasPrefix("[::1]:"), address)
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = TestSockets.port(of: address).bigEndian
        inet_pton(AF_INET6, "::1", &sin6.sin6_addr)
        let rc = withUnsafePointer(to: &sin6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        XCTAssertEqual(rc, 0)
        TestSockets.setTimeouts(fd)
        XCTAssertNotNil(echoRoundTripMs(fd))
    }

    func testDescriptorExhaustionRefusesWithoutCrashingAndRecovers() throws {
        let server = track(TestServer.echo())
        let port = try startProxy(to: server)
        let warm = try TestSockets.connect(port: port)
        XCTAssertNotNil(echoRoundTripMs(warm))
        close(warm)
        XCTAssertTrue(TestSockets.waitUntil(seconds: 2) { self.engine.counters(proxy: "p").activeConnections == 0 })

        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let saved = limit
        limit.rlim_cur = rlim_t(TestSockets.openDescriptorCount() + 16)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        var fillers: [Int32] = []
        defer {
            for fd in fillers { close(fd) }
            var restore = saved
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &restore)
        }
        for _ in 0..<64 {
            let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
            if fd < 0 { break }
            fillers.append(fd)
        }
        close(fillers.removeLast())  // room for exactly the client socket
        let client = try TestSockets.connect(port: port)
        defer { close(client) }
        // The proxy cannot accept: it sheds the connection (close) instead of spinning.
        XCTAssertTrue(TestSockets.readable(client, withinMs: 2_000))
        XCTAssertEqual(TestSockets.readAll(client) { _ in }.end, .eof)
        XCTAssertEqual(engine.counters(proxy: "p").refusedConnections, 1)

        for fd in fillers { close(fd) }
        fillers.removeAll()
        var restore = saved
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &restore)
        usleep(50_000)  // the listener pauses briefly after exhaustion
        let again = try TestSockets.connect(port: port)
        defer { close(again) }
        XCTAssertNotNil(echoRoundTripMs(again))
    }

    func testTimeoutToxicFiresWhileTheUpstreamConnectIsStillPending() throws {
        // An upstream whose accept queue is full drops our SYN: the dial stays in progress.
        let (stuckFd, stuckPort) = TestSockets.listen()
        defer { close(stuckFd) }
        Glibc.listen(stuckFd, 0)
        var fillers: [Int32] = []
        defer { for fd in fillers { close(fd) } }
        for _ in 0..<4 {
            guard let fd = try? nonBlockingConnect(port: stuckPort) else { break }
            fillers.append(fd)
        }
        usleep(50_000)
        let address = try engine.start(proxy: "p", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(stuckPort)",
                                       toxics: [Self.toxic("t", .upstream, .timeout(timeoutMs: 100))])
        let start = DispatchTime.now().uptimeNanoseconds
        let client = try TestSockets.connect(port: TestSockets.port(of: address))
        defer { close(client) }
        XCTAssertEqual(TestSockets.readAll(client) { _ in }.end, .eof)
        let elapsed = TestSockets.milliseconds(since: start)
        XCTAssertGreaterThanOrEqual(elapsed, 95)
        XCTAssertLessThan(elapsed, 900, "closed by the dial failing, not by the toxic")
    }

    private func nonBlockingConnect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var sin = TestSockets.loopback(port: port)
        _ = withUnsafePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return fd
    }
}
