import ChaosProxyAPI
import Foundation
import Glibc
import XCTest

/// What each API change does to real traffic: toxic updates on live connections, toxicity 0,
/// bandwidth and slow_close effects, upstream changes, proxy deletion, and descriptor hygiene
/// on the buffered (toxic) path.
final class ToxicEffectTests: IntegrationTestCase {
    func testUpdatingAToxicChangesALiveConnection() throws {
        let port = try stack.createProxy("upd")
        _ = try stack.client.addToxic(proxy: "upd", name: "lat", type: "latency", attributes: ["latency": 300])
        let fd = try Sockets.connect(port: port)
        defer { close(fd) }
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(ProxyStack.ping(fd)), 0.295)
        let updated = try stack.client.updateToxic(proxy: "upd", name: "lat", attributes: ["latency": 10])
        XCTAssertEqual(updated.attributes["latency"], .number("10"))
        let after = try XCTUnwrap(ProxyStack.ping(fd))
        XCTAssertLessThan(after, 0.2, "the update reached the open connection")
        XCTAssertGreaterThanOrEqual(after, 0.0095)
    }

    func testToxicityZeroLeavesConnectionsAlone() throws {
        let port = try stack.createProxy("never")
        _ = try stack.client.addToxic(proxy: "never", name: "lat", type: "latency", toxicity: 0, attributes: ["latency": 300])
        for _ in 0..<5 {
            let fd = try Sockets.connect(port: port)
            defer { close(fd) }
            XCTAssertLessThan(try XCTUnwrap(ProxyStack.ping(fd)), 0.2)
        }
    }

    func testBandwidthToxicPacesTheStream() throws {
        let port = try stack.createProxy("slow")
        _ = try stack.client.addToxic(proxy: "slow", name: "bw", type: "bandwidth", attributes: ["rate": 100])
        let start = Date()
        let result = try stack.transfer(port: port, payload: Payload.make(200 * 1024, seed: 8))
        let elapsed = Date().timeIntervalSince(start)
        assertByteExact(result, "bandwidth 100 KB/s")
        XCTAssertGreaterThan(elapsed, 1.5, "200 KiB at 100 KB/s cannot arrive in under ~2 s")
    }

    func testSlowCloseDelaysOnlyTheClose() throws {
        let port = try stack.createProxy("lazy")
        _ = try stack.client.addToxic(proxy: "lazy", name: "sc", type: "slow_close", attributes: ["delay": 600])
        let fd = try Sockets.connect(port: port)
        defer { close(fd) }
        XCTAssertLessThan(try XCTUnwrap(ProxyStack.ping(fd)), 0.2, "data is not delayed")
        let start = Date()
        XCTAssertEqual(Glibc.shutdown(fd, Int32(SHUT_WR)), 0)
        let (_, end) = Sockets.drain(fd)
        XCTAssertEqual(end, .eof)
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.55, "the upstream's FIN was held back")
    }

    func testChangingTheUpstreamRoutesNewConnectionsOnly() throws {
        let other = try EchoServer()
        defer { other.stop() }
        let port = try stack.createProxy("route")
        let old = try Sockets.connect(port: port)
        defer { close(old) }
        XCTAssertNotNil(ProxyStack.ping(old))
        let response = try stack.call("POST", "/proxies/route", body: "{\"upstream\":\"\(other.address)\"}")
        XCTAssertEqual(response.status, 200, response.text)
        let new = try Sockets.connect(port: port)
        defer { close(new) }
        XCTAssertNotNil(ProxyStack.ping(new))
        XCTAssertNotNil(ProxyStack.ping(old), "the existing connection keeps its upstream")
        XCTAssertEqual(other.liveConnections, 1, "only the new connection went to the new upstream")
        XCTAssertEqual(stack.upstream.liveConnections, 1)
    }

    func testDeletingAProxyClosesItsConnections() throws {
        let port = try stack.createProxy("gone")
        _ = try stack.client.addToxic(proxy: "gone", name: "lat", type: "latency", attributes: ["latency": 200])
        let fd = try Sockets.connect(port: port, receiveTimeout: 5)
        defer { close(fd) }
        XCTAssertTrue(Sockets.writeAll(fd, Array("held in the toxic".utf8)))
        usleep(50_000)
        try stack.client.deleteProxy("gone")
        let (_, end) = Sockets.drain(fd)
        XCTAssertTrue(end == .eof || end == .reset, "closed, got \(end)")
        XCTAssertThrowsError(try Sockets.connect(port: port))
    }

    func testSequentialConnectionsThroughToxicsLeaveNoDescriptorBehind() throws {
        let port = try stack.createProxy("toxicmany")
        for stream in ["upstream", "downstream"] {
            _ = try stack.client.addToxic(proxy: "toxicmany", name: nil, type: "slicer", stream: stream,
                                          attributes: ["average_size": 4, "size_variation": 2, "delay": 0])
        }
        let message = Array("0123456789abcdef".utf8)
        func oneConnection() throws {
            let fd = try Sockets.connect(port: port, receiveTimeout: 5)
            defer { close(fd) }
            XCTAssertTrue(Sockets.writeAll(fd, message))
            XCTAssertEqual(Sockets.readExactly(fd, message.count), message)
        }
        for _ in 0..<20 { try oneConnection() }
        let baseline = try settled()
        for i in 0..<2_000 {
            do { try oneConnection() } catch { XCTFail("connection \(i): \(error)"); break }
        }
        var after = try settled()
        for _ in 0..<100 where after > baseline { usleep(20_000); after = Sockets.openDescriptorCount() }
        XCTAssertLessThanOrEqual(after, baseline, "descriptors before and after 2000 toxic connections")
    }

    private func settled() throws -> Int {
        for _ in 0..<250 where !stack.engine.connections(proxy: "toxicmany").isEmpty || stack.upstream.liveConnections > 0 {
            usleep(20_000)
        }
        var last = Sockets.openDescriptorCount()
        for _ in 0..<25 {
            usleep(200_000)
            let now = Sockets.openDescriptorCount()
            if now == last { break }
            last = now
        }
        return last
    }
}
