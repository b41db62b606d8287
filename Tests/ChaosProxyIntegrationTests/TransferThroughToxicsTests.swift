import ChaosProxyAPI
import Foundation
import Glibc
import XCTest

/// Several MB through API-created proxies, checksummed in both directions, through each
/// byte-preserving toxic type and through a chain; plus the toxics that cut or swallow
/// (limit_data, reset_peer, timeout) doing exactly that.
final class TransferThroughToxicsTests: IntegrationTestCase {
    private let megabytes = 4

    /// Toxics that delay, pace or split data but must never change it.
    private let preserving: [(type: String, attributes: [String: Int64])] = [
        ("noop", [:]),
        ("latency", ["latency": 10, "jitter": 5]),
        ("bandwidth", ["rate": 40_000]),
        ("slicer", ["average_size": 1500, "size_variation": 1000, "delay": 0]),
        ("slow_close", ["delay": 50]),
        ("limit_data", ["bytes": 1 << 30]),
    ]

    func testEachToxicTypeKeepsBothDirectionsByteExact() throws {
        for (index, toxic) in preserving.enumerated() {
            let name = "each_\(toxic.type)"
            let port = try stack.createProxy(name)
            for stream in ["upstream", "downstream"] {
                _ = try stack.client.addToxic(proxy: name, name: nil, type: toxic.type, stream: stream, attributes: toxic.attributes)
            }
            XCTAssertEqual(try stack.client.proxy(name).toxics.count, 2)
            let payload = Payload.make(megabytes << 20, seed: UInt64(index + 1))
            assertByteExact(try stack.transfer(port: port, payload: payload), toxic.type)
            try stack.client.deleteProxy(name)
        }
    }

    func testChainOfToxicsKeepsBothDirectionsByteExact() throws {
        let port = try stack.createProxy("chain")
        for stream in ["upstream", "downstream"] {
            for toxic in preserving where ["latency", "bandwidth", "slicer", "noop", "limit_data"].contains(toxic.type) {
                _ = try stack.client.addToxic(proxy: "chain", name: "\(toxic.type)_\(stream)", type: toxic.type,
                                              stream: stream, attributes: toxic.attributes)
            }
        }
        XCTAssertEqual(try stack.client.proxy("chain").toxics.count, 10)
        assertByteExact(try stack.transfer(port: port, payload: Payload.make(6 << 20, seed: 99)), "chain")
    }

    func testLimitDataCutsTheUpstreamAtExactlyThatManyBytes() throws {
        let port = try stack.createProxy("limit")
        _ = try stack.client.addToxic(proxy: "limit", name: "cut", type: "limit_data", stream: "upstream",
                                      attributes: ["bytes": 100_000])
        let payload = Payload.make(1 << 20, seed: 5)
        let result = try stack.transfer(port: port, payload: payload)
        XCTAssertEqual(result.upstreamReceived, .of(Array(payload[0..<100_000])), "upstream saw the first 100000 bytes only")
        // The connection closes at the limit, so the echo may be cut anywhere, but only cut.
        XCTAssertLessThanOrEqual(result.echoed.count, 100_000)
        XCTAssertEqual(result.echoed, .of(Array(payload[0..<result.echoed.count])), "the echo is a prefix")
    }

    func testResetPeerSwallowsDataAndResetsAfterItsTimeout() throws {
        let port = try stack.createProxy("reset")
        _ = try stack.client.addToxic(proxy: "reset", name: "r", type: "reset_peer", stream: "upstream",
                                      attributes: ["timeout": 300])
        let fd = try Sockets.connect(port: port, receiveTimeout: 5)
        defer { close(fd) }
        let start = Date()
        XCTAssertTrue(Sockets.writeAll(fd, Array("hello".utf8)))
        let (count, end) = Sockets.drain(fd)
        XCTAssertEqual(count, 0)
        XCTAssertEqual(end, .reset, "the client sees a reset")
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.28, "only after the timeout")
    }

    func testTimeoutToxicHoldsDataThenClosesAfterItsTimeout() throws {
        let port = try stack.createProxy("timeout")
        _ = try stack.client.addToxic(proxy: "timeout", name: "t", type: "timeout", stream: "downstream",
                                      attributes: ["timeout": 400])
        let fd = try Sockets.connect(port: port, receiveTimeout: 5)
        defer { close(fd) }
        let start = Date()
        XCTAssertTrue(Sockets.writeAll(fd, Array("hello".utf8)))
        let (count, _) = Sockets.drain(fd)
        XCTAssertEqual(count, 0, "no data passes a timeout toxic")
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.35, "closed only after the timeout")
    }
}
