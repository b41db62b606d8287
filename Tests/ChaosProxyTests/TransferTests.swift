import ChaosProxy
import Foundation
import Glibc
import XCTest

/// Byte-exact transfer, both directions at once, with and without toxics.
final class TransferTests: ProxyTestCase {
    private func assertTwoWay(port: UInt16, up: [UInt8], down: [UInt8], log: ReceivedLog, expectedConnections: Int,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let (clientSum, clientEnd) = try twoWayClient(port: port, payload: up)
        XCTAssertEqual(clientEnd, .eof, file: file, line: line)
        XCTAssertEqual(clientSum.count, down.count, "bytes received by the client", file: file, line: line)
        XCTAssertEqual(clientSum, Checksum.of(down), file: file, line: line)
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) { log.all.count == expectedConnections }, file: file, line: line)
        guard let (serverSum, serverEnd) = log.all.last else { return }
        XCTAssertEqual(serverEnd, .eof, file: file, line: line)
        XCTAssertEqual(serverSum.count, up.count, "bytes received by the server", file: file, line: line)
        XCTAssertEqual(serverSum, Checksum.of(up), file: file, line: line)
    }

    func testSeveralMegabytesBothWaysWithoutToxics() throws {
        let up = Payload.bytes(count: 4 << 20, seed: 1)
        let down = Payload.bytes(count: 3 << 20 + 12_345, seed: 2)
        let log = ReceivedLog()
        let server = track(twoWayServer(reply: down, log: log))
        let port = try startProxy(to: server)
        try assertTwoWay(port: port, up: up, down: down, log: log, expectedConnections: 1)
        let counters = engine.counters(proxy: "p")
        XCTAssertEqual(counters.bytesUpstream, UInt64(up.count))
        XCTAssertEqual(counters.bytesDownstream, UInt64(down.count))
        XCTAssertEqual(counters.acceptedConnections, 1)
    }

    func testEveryToxicAndAChainKeepBytesExact() throws {
        let up = Payload.bytes(count: 300_000, seed: 3)
        let down = Payload.bytes(count: 500_000, seed: 4)
        let log = ReceivedLog()
        let server = track(twoWayServer(reply: down, log: log))
        let port = try startProxy(to: server)
        let kinds: [ToxicKind] = [
            .latency(latencyMs: 5, jitterMs: 3),
            .bandwidth(rateKBps: 20_000),
            .slowClose(delayMs: 20),
            .slicer(averageSize: 2_000, sizeVariation: 1_500, delayUs: 5),
            .limitData(bytes: 10_000_000),
        ]
        var sets: [[ToxicSpec]] = kinds.map { kind in
            [Self.toxic("u", .upstream, kind), Self.toxic("d", .downstream, kind)]
        }
        sets.append(kinds.enumerated().flatMap { index, kind in
            [Self.toxic("u\(index)", .upstream, kind), Self.toxic("d\(index)", .downstream, kind)]
        })
        for (index, toxics) in sets.enumerated() {
            engine.setToxics(proxy: "p", toxics: toxics)
            try assertTwoWay(port: port, up: up, down: down, log: log, expectedConnections: index + 1)
        }
    }

    /// Small messages are copied through user space, bulk data is spliced: alternating sizes
    /// switch between the two mid-connection, in both directions, and every byte must come
    /// back in order.
    func testAlternatingSmallAndBulkWritesSwitchPathsWithoutLosingOrder() throws {
        let fd = try connectThroughEcho()
        defer { close(fd) }
        var seed: UInt8 = 1
        for size in [1, 100, 40_000, 7, 300_000, 2, 65_536, 33_000, 5, 1_000_000, 12] {
            let chunk = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
            seed &+= 1
            let writer = Background { TestSockets.writeAll(fd, chunk) }
            let echoed = TestSockets.readExactly(fd, size)
            XCTAssertEqual(writer.wait(), true, "write of \(size) bytes")
            XCTAssertEqual(echoed.count, size, "\(size) bytes")
            XCTAssertTrue(echoed == chunk, "\(size) bytes came back changed or out of order")
        }
    }
}
