import ChaosProxy
import Foundation
import Glibc
import XCTest

/// FIN and RST propagation, stop, port conflicts and descriptor hygiene.
final class CloseTests: ProxyTestCase {
    func testHalfCloseClientStillReceivesTheReply() throws {
        // The server answers only after it saw the client's FIN.
        let server = track(TestServer { fd in
            var request: [UInt8] = []
            let (_, end) = TestSockets.readAll(fd) { request += $0 }
            if end == .eof { _ = TestSockets.writeAll(fd, Array("reply to ".utf8) + request) }
            close(fd)
        })
        let port = try startProxy(to: server)
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        XCTAssertTrue(TestSockets.writeAll(fd, Array("question".utf8)))
        XCTAssertEqual(shutdown(fd, Int32(SHUT_WR)), 0)
        var reply: [UInt8] = []
        let (_, end) = TestSockets.readAll(fd) { reply += $0 }
        XCTAssertEqual(String(decoding: reply, as: UTF8.self), "reply to question")
        XCTAssertEqual(end, .eof)
    }

    func testServerResetIsPropagatedToTheClient() throws {
        let server = track(TestServer { fd in
            _ = TestSockets.readExactly(fd, 5)
            TestSockets.closeWithReset(fd)
        })
        let port = try startProxy(to: server)
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        XCTAssertTrue(TestSockets.writeAll(fd, Array("hello".utf8)))
        let (_, end) = TestSockets.readAll(fd) { _ in }
        XCTAssertEqual(end, .reset)
    }

    func testClientResetIsPropagatedToTheServer() throws {
        let log = ReceivedLog()
        let server = track(TestServer { fd in
            var sum = Checksum()
            let (_, end) = TestSockets.readAll(fd) { sum.add($0) }
            log.append(sum, end)
            close(fd)
        })
        let port = try startProxy(to: server)
        let fd = try TestSockets.connect(port: port)
        XCTAssertTrue(TestSockets.writeAll(fd, Array("hello".utf8)))
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) { self.engine.counters(proxy: "p").bytesUpstream == 5 })
        TestSockets.closeWithReset(fd)
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) { log.all.count == 1 })
        XCTAssertEqual(log.all.first?.1, .reset)
    }

    func testStopClosesLiveConnectionsAndTheListener() throws {
        let server = track(TestServer.echo())
        let port = try startProxy(to: server)
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        XCTAssertNotNil(echoRoundTripMs(fd))
        XCTAssertTrue(TestSockets.waitUntil(seconds: 2) { self.engine.connections(proxy: "p").count == 1 })
        engine.stop(proxy: "p")
        XCTAssertTrue(TestSockets.readable(fd, withinMs: 2_000))
        let (_, end) = TestSockets.readAll(fd) { _ in }
        XCTAssertTrue(end == .eof || end == .reset, "connection not closed: \(end)")
        XCTAssertThrowsError(try TestSockets.connect(port: port), "listener still open after stop")
        XCTAssertTrue(engine.connections(proxy: "p").isEmpty)
    }

    func testPortInUseNamesTheAddress() throws {
        let server = track(TestServer.echo())
        let address = try engine.start(proxy: "a", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(server.port)", toxics: [])
        XCTAssertThrowsError(try engine.start(proxy: "b", listen: address, upstream: "127.0.0.1:\(server.port)", toxics: [])) {
            let text = String(describing: $0)
            XCTAssertTrue(text.contains(address), text)
            XCTAssertTrue(text.contains("in use"), text)
        }
        // After stop the port is free again at once.
        engine.stop(proxy: "a")
        XCTAssertEqual(try engine.start(proxy: "b", listen: address, upstream: "127.0.0.1:\(server.port)", toxics: []), address)
    }

    func testTenThousandSequentialConnectionsLeaveNoDescriptorBehind() throws {
        let server = track(TestServer(serial: true) { fd in
            var byte: [UInt8] = [0]
            if recv(fd, &byte, 1, 0) == 1 { _ = send(fd, &byte, 1, Int32(MSG_NOSIGNAL)) }
            close(fd)
        })
        let port = try startProxy(to: server)
        // Warm up: loops, pipe pools and the server thread exist before we count. Two
        // connections open at once land on different loops, so both loops' pools are warm.
        for _ in 0..<5 {
            let first = try TestSockets.connect(port: port)
            let second = try TestSockets.connect(port: port)
            // The proxy may dial upstream for `second` first, and the serial server
            // would then wait on it; send both bytes before reading either.
            for fd in [first, second] { XCTAssertTrue(TestSockets.writeAll(fd, [7])) }
            for fd in [first, second] {
                XCTAssertEqual(TestSockets.readExactly(fd, 1), [7])
                XCTAssertEqual(TestSockets.readAll(fd) { _ in }.end, .eof)
                close(fd)
            }
        }
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) { self.engine.counters(proxy: "p").activeConnections == 0 })
        let before = TestSockets.openDescriptorCount()
        for _ in 0..<10_000 { try oneByteRoundTrip(port: port) }
        XCTAssertTrue(TestSockets.waitUntil(seconds: 10) { self.engine.counters(proxy: "p").activeConnections == 0 })
        let after = TestSockets.openDescriptorCount()
        XCTAssertLessThanOrEqual(after, before, "descriptors before \(before), after \(after)")
        XCTAssertEqual(engine.counters(proxy: "p").acceptedConnections, 10_010)
    }

    private func oneByteRoundTrip(port: UInt16) throws {
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        XCTAssertTrue(TestSockets.writeAll(fd, [7]))
        XCTAssertEqual(TestSockets.readExactly(fd, 1), [7])
        // Wait for the server's FIN through the proxy so the proxy side closes first.
        XCTAssertEqual(TestSockets.readAll(fd) { _ in }.end, .eof)
    }

    func testRefuseAndResetConnectionsActOnNewConnections() throws {
        let server = track(TestServer.echo())
        let port = try startProxy(to: server, toxics: [Self.toxic("refuse", .downstream, .refuseConnections)])
        let refused = try TestSockets.connect(port: port)
        XCTAssertEqual(TestSockets.readAll(refused) { _ in }.end, .eof)
        close(refused)

        engine.setToxics(proxy: "p", toxics: [Self.toxic("reset", .downstream, .resetConnections)])
        let reset = try TestSockets.connect(port: port)
        XCTAssertTrue(TestSockets.readable(reset, withinMs: 2_000))
        XCTAssertEqual(TestSockets.readAll(reset) { _ in }.end, .reset)
        close(reset)

        engine.setToxics(proxy: "p", toxics: [])
        let fine = try TestSockets.connect(port: port)
        XCTAssertNotNil(echoRoundTripMs(fine))
        close(fine)
        let counters = engine.counters(proxy: "p")
        XCTAssertEqual(counters.refusedConnections, 2)
        XCTAssertEqual(counters.toxicApplications["refuse"], 1)
        XCTAssertEqual(counters.toxicApplications["reset"], 1)
    }

    func testToxicityIsDrawnPerConnectionAndReproducibleWithASeed() throws {
        let server = track(TestServer.echo())
        func pattern(seed: UInt64) throws -> [Bool] {
            let engine = EpollProxyEngine(loops: 1, seed: seed)
            defer { engine.shutdown() }
            let address = try engine.start(proxy: "s", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(server.port)",
                                           toxics: [Self.toxic("half", toxicity: 0.5, .refuseConnections)])
            return try (0..<24).map { _ in
                let fd = try TestSockets.connect(port: TestSockets.port(of: address))
                defer { close(fd) }
                return echoRoundTripMs(fd) == nil  // refused: the echo fails
            }
        }
        let first = try pattern(seed: 7)
        XCTAssertEqual(try pattern(seed: 7), first)
        XCTAssertTrue(first.contains(true) && first.contains(false), "\(first)")
    }
}
