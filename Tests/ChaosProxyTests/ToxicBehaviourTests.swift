import ChaosProxy
import Foundation
import Glibc
import XCTest

/// Toxics on live loopback connections. Timing checks are functional bounds only.
final class ToxicBehaviourTests: ProxyTestCase {
    func testToxicsAddedAndRemovedMidStreamKeepTheConnection() throws {
        let fd = try connectThroughEcho()
        defer { close(fd) }
        XCTAssertNotNil(echoRoundTripMs(fd))
        // setToxics returns once every live connection has the new chain: no wait needed.
        engine.setToxics(proxy: "p", toxics: [Self.toxic("lat", .upstream, .latency(latencyMs: 1_000, jitterMs: 0))])
        let slow = try XCTUnwrap(echoRoundTripMs(fd))
        XCTAssertGreaterThanOrEqual(slow, 1_000)
        engine.setToxics(proxy: "p", toxics: [Self.toxic("slice", .downstream, .slicer(averageSize: 3, sizeVariation: 1, delayUs: 100))])
        let message = Array("a longer message that gets sliced".utf8)
        XCTAssertNotNil(echoRoundTripMs(fd, message))
        engine.setToxics(proxy: "p", toxics: [])
        // The best of 3, and half the removed latency as the bound: only a latency still in
        // place fails it, not a preemption on a loaded machine.
        let fast = try XCTUnwrap((0..<3).compactMap { _ in echoRoundTripMs(fd) }.min())
        XCTAssertLessThan(fast, 500)
        XCTAssertEqual(engine.counters(proxy: "p").acceptedConnections, 1)
        XCTAssertEqual(engine.connections(proxy: "p").count, 1)
    }

    func testBytesInFlightSurviveAToxicChange() throws {
        // 2 MB echoed while toxics come and go: every byte arrives, in order.
        let server = track(TestServer.echo())
        let port = try startProxy(to: server)
        // Made before connecting: the echo server gives up after 5 s without data.
        let payload = Payload.bytes(count: 2 << 20, seed: 9)
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        let writer = Background { TestSockets.writeAll(fd, payload) }
        let toggler = Background { [engine] () -> Bool in
            for round in 0..<20 {
                let toxics: [ToxicSpec] = round % 2 == 0
                    ? [Self.toxic("l", .downstream, .latency(latencyMs: 2, jitterMs: 1)),
                       Self.toxic("s", .upstream, .slicer(averageSize: 700, sizeVariation: 300, delayUs: 0))]
                    : []
                engine!.setToxics(proxy: "p", toxics: toxics)
                usleep(5_000)
            }
            return true
        }
        var sum = Checksum()
        let (_, end) = TestSockets.readAll(fd, limit: payload.count) { sum.add($0) }
        XCTAssertEqual(end, .limit)
        XCTAssertEqual(writer.wait(), true)
        XCTAssertEqual(toggler.wait(), true)
        XCTAssertEqual(sum, Checksum.of(payload))
    }

    func testTimeoutZeroHangsUntilRemovedThenDataFlowsAgain() throws {
        let fd = try connectThroughEcho(toxics: [Self.toxic("t", .downstream, .timeout(timeoutMs: 0))])
        defer { close(fd) }
        XCTAssertTrue(TestSockets.writeAll(fd, Array("lost".utf8)))
        XCTAssertFalse(TestSockets.readable(fd, withinMs: 300), "data or close got through a timeout toxic")
        engine.setToxics(proxy: "p", toxics: [])
        XCTAssertTrue(TestSockets.writeAll(fd, Array("back".utf8)))
        // As in Toxiproxy, what arrived during the timeout was dropped.
        XCTAssertEqual(String(decoding: TestSockets.readExactly(fd, 4), as: UTF8.self), "back")
    }

    func testTimeoutClosesTheConnectionAfterItsDelay() throws {
        let server = track(TestServer.echo())
        let port = try startProxy(to: server, toxics: [Self.toxic("t", .upstream, .timeout(timeoutMs: 100))])
        let start = DispatchTime.now().uptimeNanoseconds
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        XCTAssertTrue(TestSockets.writeAll(fd, Array("x".utf8)))
        let (count, end) = TestSockets.readAll(fd) { _ in }
        let elapsed = TestSockets.milliseconds(since: start)
        XCTAssertEqual(count, 0)
        XCTAssertEqual(end, .eof)
        XCTAssertGreaterThanOrEqual(elapsed, 95)
        XCTAssertLessThan(elapsed, 2_000)
    }

    func testLimitDataClosesAfterExactlyThatManyBytes() throws {
        let body = Payload.bytes(count: 100_000, seed: 5)
        let server = track(TestServer { fd in
            _ = TestSockets.writeAll(fd, body)
            _ = TestSockets.readAll(fd) { _ in }
            close(fd)
        })
        let port = try startProxy(to: server, toxics: [Self.toxic("limit", .downstream, .limitData(bytes: 12_345))])
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        var received: [UInt8] = []
        let (_, end) = TestSockets.readAll(fd) { received += $0 }
        XCTAssertEqual(end, .eof)
        XCTAssertEqual(received, Array(body[0..<12_345]))
    }

    func testResetPeerResetsOnFirstData() throws {
        let fd = try connectThroughEcho(toxics: [Self.toxic("rp", .upstream, .resetPeer(timeoutMs: 50))])
        defer { close(fd) }
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertTrue(TestSockets.writeAll(fd, Array("x".utf8)))
        let (count, end) = TestSockets.readAll(fd) { _ in }
        XCTAssertEqual(count, 0)
        XCTAssertEqual(end, .reset)
        XCTAssertGreaterThanOrEqual(TestSockets.milliseconds(since: start), 45)
    }

    func testSlowCloseDelaysTheFin() throws {
        let server = track(TestServer { fd in
            _ = TestSockets.writeAll(fd, Array("bye".utf8))
            close(fd)
        })
        // A close held back 2 s: data that waited for it would come with the FIN, not
        // seconds before it. The 1 s gap leaves a loaded machine a second to deliver the data.
        let port = try startProxy(to: server, toxics: [Self.toxic("sc", .downstream, .slowClose(delayMs: 2_000))])
        let start = DispatchTime.now().uptimeNanoseconds
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        XCTAssertEqual(TestSockets.readExactly(fd, 3), Array("bye".utf8))
        let dataMs = TestSockets.milliseconds(since: start)
        XCTAssertEqual(TestSockets.readAll(fd) { _ in }.end, .eof)
        let finMs = TestSockets.milliseconds(since: start)
        XCTAssertGreaterThanOrEqual(finMs, 1_995, "the FIN came before the slow close's delay")
        XCTAssertGreaterThanOrEqual(finMs - dataMs, 1_000, "data waited for the slow close (data \(dataMs) ms, FIN \(finMs) ms)")
    }

    func testBandwidthLimitsThroughputRoughly() throws {
        let body = Payload.bytes(count: 400_000, seed: 6)
        // 1000 KB/s = 1 000 000 B/s (Toxiproxy's KB is 1000 bytes): 400 kB ≈ 0.4 s.
        let (count, end, elapsed) = try timedDownload(body, toxics: [Self.toxic("bw", .downstream, .bandwidth(rateKBps: 1_000))])
        XCTAssertEqual(count, body.count)
        XCTAssertEqual(end, .eof)
        XCTAssertGreaterThan(elapsed, 300)
        XCTAssertLessThan(elapsed, 2_000)
    }

    func testLatencyAddsItsDelayToEveryRoundTrip() throws {
        let fd = try connectThroughEcho()
        defer { close(fd) }
        let baseline = (0..<10).compactMap { _ in echoRoundTripMs(fd) }.sorted()[5]
        engine.setToxics(proxy: "p", toxics: [Self.toxic("lat", .downstream, .latency(latencyMs: 50, jitterMs: 0))])
        // Never early, ever. Late by more than 10 ms: a loaded machine can preempt any
        // thread for that long once in a while, so such a sample is measured again (up to 3
        // tries); a proxy that is systematically late still fails.
        for sample in 0..<10 {
            var lastAdded = 0.0
            var inWindow = false
            for _ in 0..<3 {
                let rtt = try XCTUnwrap(echoRoundTripMs(fd))
                XCTAssertGreaterThanOrEqual(rtt, 50, "sample \(sample): rtt \(rtt) baseline \(baseline)")
                lastAdded = rtt - baseline
                if lastAdded <= 60 {
                    inWindow = true
                    break
                }
            }
            XCTAssertTrue(inWindow, "sample \(sample): added \(lastAdded) ms over 3 tries (baseline \(baseline))")
        }
    }
}
