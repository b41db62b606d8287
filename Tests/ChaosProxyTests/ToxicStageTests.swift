import ChaosCore
import XCTest
@testable import ChaosProxy

/// The toxic stages as pure state machines, driven by a fake clock (plain numbers).
final class ToxicStageTests: XCTestCase {
    private let ms: Nanos = 1_000_000

    private func spec(_ kind: ToxicKind) -> ToxicSpec {
        ToxicSpec(name: "t", stream: .downstream, toxicity: 1, kind: kind)
    }

    private func stage(_ kind: ToxicKind, now: Nanos = 0) -> ToxicStage {
        makeToxicStage(spec(kind), now: now, random: SeededRandom(seed: 1))!
    }

    /// Everything the stage lets out by `now`, with release times.
    private func drain(_ stage: ToxicStage, now: Nanos) -> [(StreamItem, Nanos)] {
        var out: [(StreamItem, Nanos)] = []
        while let (item, at) = stage.popReady(now: now) { out.append((item, at)) }
        return out
    }

    private func data(_ n: Int) -> StreamItem { .data([UInt8](repeating: 1, count: n)) }

    func testLatencyDelaysEveryChunkAndKeepsOrder() {
        let latency = stage(.latency(latencyMs: 50, jitterMs: 0))
        latency.receive(data(10), at: 0)
        latency.receive(data(20), at: 5 * ms)
        XCTAssertEqual(latency.nextDeadline, 50 * ms)
        XCTAssertTrue(drain(latency, now: 49 * ms).isEmpty)
        XCTAssertEqual(drain(latency, now: 50 * ms).map { $0.1 }, [50 * ms])
        XCTAssertEqual(latency.heldBytes, 20)
        XCTAssertEqual(drain(latency, now: 60 * ms).map { $0.1 }, [55 * ms])
    }

    func testLatencyJitterStaysInRangeAndNeverReorders() {
        // Close together: order must hold even when a later chunk draws less delay.
        let latency = stage(.latency(latencyMs: 100, jitterMs: 40))
        for i in 0..<200 { latency.receive(.data([UInt8(i & 0xff)]), at: Nanos(i) * ms) }
        let out = drain(latency, now: 1_000 * ms)
        XCTAssertEqual(out.count, 200)
        for (i, (item, at)) in out.enumerated() {
            XCTAssertEqual(item, .data([UInt8(i & 0xff)]))
            if i > 0 { XCTAssertGreaterThanOrEqual(at, out[i - 1].1) }
        }
        // Far apart: each delay is drawn in [60, 140] ms, on both sides of 100.
        let spaced = stage(.latency(latencyMs: 100, jitterMs: 40))
        for i in 0..<100 { spaced.receive(data(1), at: Nanos(i) * 1_000 * ms) }
        let delays = drain(spaced, now: 200_000 * ms).enumerated().map { $0.element.1 - Nanos($0.offset) * 1_000 * ms }
        XCTAssertTrue(delays.allSatisfy { (60 * ms...140 * ms).contains($0) })
        XCTAssertTrue(delays.contains { $0 < 100 * ms } && delays.contains { $0 > 100 * ms })
    }

    func testBandwidthPacesBytesAtTheRate() {
        // 100 KB/s = 100 000 B/s: 25 000 bytes take 250 ms, cut into 100 ms pieces.
        let bandwidth = stage(.bandwidth(rateKBps: 100))
        bandwidth.receive(data(25_000), at: 0)
        let out = drain(bandwidth, now: 1_000 * ms)
        XCTAssertEqual(out.map { $0.0.byteCount }, [10_000, 10_000, 5_000])
        XCTAssertEqual(out.map { $0.1 }, [100 * ms, 200 * ms, 250 * ms])
        // The link is busy until 250 ms: a chunk at 100 ms queues behind.
        bandwidth.receive(data(1_000), at: 100 * ms)
        XCTAssertEqual(drain(bandwidth, now: 1_000 * ms).map { $0.1 }, [260 * ms])
    }

    func testSlicerCutsIntoSpacedPieces() {
        let slicer = stage(.slicer(averageSize: 10, sizeVariation: 4, delayUs: 100))
        slicer.receive(data(1_000), at: 0)
        let out = drain(slicer, now: 1_000 * ms)
        XCTAssertEqual(out.reduce(0) { $0 + $1.0.byteCount }, 1_000)
        for (i, (item, at)) in out.enumerated() {
            if i < out.count - 1 { XCTAssertTrue((6...14).contains(item.byteCount), "\(item.byteCount)") }
            XCTAssertEqual(at, Nanos(i) * 100_000)
        }
    }

    func testLimitDataCutsAndCloses() {
        let limit = stage(.limitData(bytes: 25))
        limit.receive(data(10), at: 0)
        limit.receive(data(10), at: 0)
        limit.receive(data(10), at: 0)
        limit.receive(data(10), at: 0)
        let out = drain(limit, now: 0).map { $0.0 }
        XCTAssertEqual(out, [data(10), data(10), data(5), .close])
    }

    func testTimeoutDropsDataAndClosesAfterItsDelay() {
        let timeout = stage(.timeout(timeoutMs: 100), now: 10 * ms)
        XCTAssertEqual(timeout.nextDeadline, 110 * ms)
        XCTAssertTrue(drain(timeout, now: 109 * ms).isEmpty)
        XCTAssertEqual(drain(timeout, now: 110 * ms).map { $0.0 }, [.close])
        XCTAssertNil(timeout.nextDeadline)
    }

    func testTimeoutCountdownRestartsWithEveryDroppedChunk() {
        let timeout = stage(.timeout(timeoutMs: 100), now: 0)
        timeout.receive(data(10), at: 60 * ms)
        XCTAssertEqual(timeout.nextDeadline, 160 * ms)
        XCTAssertTrue(drain(timeout, now: 159 * ms).isEmpty)
        XCTAssertEqual(drain(timeout, now: 160 * ms).map { $0.0 }, [.close])
    }

    func testTimeoutZeroDropsDataForeverButLetsTheFinThrough() {
        let timeout = stage(.timeout(timeoutMs: 0))
        timeout.receive(data(10), at: 0)
        XCTAssertNil(timeout.nextDeadline)
        XCTAssertTrue(drain(timeout, now: 1_000_000 * ms).isEmpty)
        timeout.receive(.end, at: 2_000_000 * ms)
        XCTAssertEqual(drain(timeout, now: 2_000_000 * ms).map { $0.0 }, [.end])
    }

    func testResetPeerStartsOnFirstData() {
        let reset = stage(.resetPeer(timeoutMs: 30))
        XCTAssertNil(reset.nextDeadline)
        reset.receive(data(5), at: 100 * ms)
        XCTAssertEqual(reset.nextDeadline, 130 * ms)
        XCTAssertEqual(drain(reset, now: 130 * ms).map { $0.0 }, [.reset])
    }

    func testSlowCloseDelaysOnlyTheFin() {
        let slow = stage(.slowClose(delayMs: 200))
        slow.receive(data(5), at: 0)
        slow.receive(.end, at: 1 * ms)
        XCTAssertEqual(drain(slow, now: 0).map { $0.0 }, [data(5)])
        XCTAssertTrue(drain(slow, now: 200 * ms).isEmpty)
        XCTAssertEqual(drain(slow, now: 201 * ms).map { $0.0 }, [.end])
    }

    func testChainAddsDelaysAndFlushesOnRebuild() {
        let chain = ToxicChain()
        let specs = [ToxicSpec(name: "a", stream: .downstream, toxicity: 1, kind: .latency(latencyMs: 10, jitterMs: 0)),
                     ToxicSpec(name: "b", stream: .downstream, toxicity: 1, kind: .latency(latencyMs: 20, jitterMs: 0))]
        XCTAssertTrue(chain.rebuild(specs: specs, now: 0) { _ in SeededRandom(seed: 1) }.isEmpty)
        chain.push(data(1), at: 0)
        chain.push(data(2), at: 5 * ms)
        XCTAssertTrue(chain.advance(now: 29 * ms).isEmpty)
        XCTAssertEqual(chain.advance(now: 30 * ms), [data(1)])
        XCTAssertEqual(chain.heldBytes, 2)
        // Removing "b" hands over what it held; "a" is kept with its state.
        let flushed = chain.rebuild(specs: [specs[0]], now: 31 * ms) { _ in SeededRandom(seed: 1) }
        XCTAssertEqual(flushed, [data(2)])
        XCTAssertEqual(chain.stages.count, 1)
        XCTAssertEqual(chain.heldBytes, 0)
    }

    func testLimitDataCountSurvivesAnUnrelatedUpdate() {
        let chain = ToxicChain()
        let limit = ToxicSpec(name: "limit", stream: .downstream, toxicity: 1, kind: .limitData(bytes: 10))
        _ = chain.rebuild(specs: [limit], now: 0) { _ in SeededRandom(seed: 1) }
        chain.push(data(6), at: 0)
        XCTAssertEqual(chain.advance(now: 0), [data(6)])
        let other = ToxicSpec(name: "lat", stream: .downstream, toxicity: 1, kind: .latency(latencyMs: 0, jitterMs: 0))
        _ = chain.rebuild(specs: [limit, other], now: 1) { _ in SeededRandom(seed: 1) }
        chain.push(data(6), at: 1)
        XCTAssertEqual(chain.advance(now: 1), [data(4), .close])
    }

    func testUpdatedLimitDataKeepsItsCount() {
        let chain = ToxicChain()
        _ = chain.rebuild(specs: [spec(.limitData(bytes: 10))], now: 0) { _ in SeededRandom(seed: 1) }
        chain.push(data(8), at: 0)
        XCTAssertEqual(chain.advance(now: 0), [data(8)])
        _ = chain.rebuild(specs: [spec(.limitData(bytes: 12))], now: 1) { _ in SeededRandom(seed: 1) }
        chain.push(data(8), at: 1)
        XCTAssertEqual(chain.advance(now: 1), [data(4), .close])
    }

    func testChainRecordsHowLateBytesLeaveAgainstTheirSchedule() {
        let lateness = LatenessHistogram()
        let chain = ToxicChain(lateness: lateness)
        _ = chain.rebuild(specs: [spec(.latency(latencyMs: 10, jitterMs: 0))], now: 0) { _ in SeededRandom(seed: 1) }
        chain.push(data(3), at: 0)
        chain.push(.end, at: 1 * ms)
        // Due at 10 ms, out 300 µs late; the FIN follows the data and, not being bytes, is not counted.
        XCTAssertEqual(chain.advance(now: 10 * ms + 300_000), [data(3), .end])
        chain.push(data(1), at: 20 * ms)
        XCTAssertEqual(chain.advance(now: 36 * ms), [data(1)])                 // due at 30 ms: 6 ms late
        let snapshot = lateness.snapshot()
        XCTAssertEqual(snapshot.count, 2)
        XCTAssertEqual(snapshot.sumNanos, 6_300_000)
        let bucketOf = { (nanos: UInt64) in ReleaseLateness.boundsNanos.firstIndex(of: nanos)! }
        XCTAssertEqual(snapshot.counts[bucketOf(500_000)], 1, "300 µs falls in the ≤ 500 µs bucket")
        XCTAssertEqual(snapshot.counts[bucketOf(10_000_000)], 1, "6 ms falls in the ≤ 10 ms bucket")
    }

    func testLatenessAboveTheLastBoundGoesToTheOverflowBucket() {
        let lateness = LatenessHistogram()
        lateness.record(0)
        lateness.record(50_000)          // bounds are inclusive
        lateness.record(2_000_000_000)
        let snapshot = lateness.snapshot()
        XCTAssertEqual(snapshot.counts.first, 2)
        XCTAssertEqual(snapshot.counts.last, 1)
        XCTAssertEqual(snapshot.count, 3)
    }
}
