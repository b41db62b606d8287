import ChaosTestSupport
@testable import ChaosProxy
import Foundation
import Glibc
import XCTest

/// How toxics get their timing right: bytes are timed from their arrival, never from before
/// the proxy was willing to read them, and the loop's spin margin follows the wake-ups it saw.
final class TimerPrecisionTests: ProxyTestCase {
    func testBytesHeldBackByBackPressureStillGetTheFullLatency() throws {
        // The buffer limit plus 32 KiB, sent at once: the latency queue takes the first
        // 512 KiB and reads stop; the last 32 KiB wait in the proxy's socket buffer, stamped
        // on arrival. Timed from those stamps they would leave together with the first batch
        // (after one latency); timed from when reading resumed, they wait a second latency.
        let body = [UInt8](repeating: 0x42, count: 512 * 1024 + 32 * 1024)
        let (count, end, elapsed) = try timedDownload(body, toxics: [Self.toxic("lat", .downstream,
                                                                               .latency(latencyMs: 300, jitterMs: 0))])
        XCTAssertEqual(count, body.count)
        XCTAssertEqual(end, .eof)
        XCTAssertGreaterThanOrEqual(elapsed, 570, "bytes held back by back-pressure skipped their latency")
    }

    func testTheProxyCountsTheLatenessOfEveryChunkALatencyToxicReleases() throws {
        let fd = try connectThroughEcho(toxics: [Self.toxic("lat", .downstream, .latency(latencyMs: 20, jitterMs: 0))])
        defer { close(fd) }
        var rounds = 0
        for _ in 0..<5 {
            guard let ms = echoRoundTripMs(fd) else { return XCTFail("echo through the latency toxic failed") }
            XCTAssertGreaterThanOrEqual(ms, 20)
            rounds += 1
        }
        // Each ping went up untoxified and came back as one chunk through the latency stage.
        let lateness = engine.counters(proxy: "p").releaseLateness
        XCTAssertEqual(lateness.count, UInt64(rounds))
        XCTAssertLessThan(lateness.sumNanos, UInt64(rounds) * 1_000_000_000, "a chunk counted as seconds late")
    }

    func testPassThroughBytesAreNotCountedAsToxicReleases() throws {
        let fd = try connectThroughEcho()
        defer { close(fd) }
        XCTAssertNotNil(echoRoundTripMs(fd))
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) { self.engine.counters(proxy: "p").bytesDownstream == 4 })
        XCTAssertEqual(engine.counters(proxy: "p").releaseLateness.count, 0)
    }

    func testTheUnderstudyServesADeadlineWhileTheLoopThreadIsStalled() throws {
        try requireFixture(ProcessInfo.processInfo.activeProcessorCount >= 2, "an understudy needs a second CPU")
        let fd = try connectThroughEcho(toxics: [Self.toxic("lat", .downstream, .latency(latencyMs: 40, jitterMs: 0))])
        defer { close(fd) }
        XCTAssertNotNil(echoRoundTripMs(fd), "warm-up through the latency toxic")
        let before = engine.loops.reduce(0) { $0 + $1.understudyTakeovers }
        // Every loop thread stalls for 1.5 s before its next wait for a toxic deadline, as a
        // vCPU taken away by the host would. The reply is due 40 ms after it arrives.
        for loop in engine.loops { loop.stallOnceForTesting.store(1_500_000_000, ordering: .relaxed) }
        guard let ms = echoRoundTripMs(fd) else { return XCTFail("echo through the stalled loop failed") }
        XCTAssertGreaterThanOrEqual(ms, 40)
        XCTAssertLessThan(ms, 1_000, "the reply waited for the stalled loop thread")
        // The understudy counts a takeover after its send, so the reply can arrive first.
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) {
            self.engine.loops.reduce(0) { $0 + $1.understudyTakeovers } > before
        }, "no takeover was counted")
        for loop in engine.loops { loop.stallOnceForTesting.store(0, ordering: .relaxed) }
    }

    func testWithoutAnUnderstudyAStalledLoopThreadIsLate() throws {
        engine.shutdown()
        engine = EpollProxyEngine(loops: 1, seed: 42, timerUnderstudy: false)
        let fd = try connectThroughEcho(toxics: [Self.toxic("lat", .downstream, .latency(latencyMs: 40, jitterMs: 0))])
        defer { close(fd) }
        XCTAssertNotNil(echoRoundTripMs(fd))
        engine.loops[0].stallOnceForTesting.store(300_000_000, ordering: .relaxed)
        guard let ms = echoRoundTripMs(fd) else { return XCTFail("echo failed") }
        XCTAssertEqual(engine.loops[0].understudyTakeovers, 0)
        // The control for the test above: the stall is real, and nothing else serves the deadline.
        XCTAssertGreaterThanOrEqual(ms, 300)
    }

    func testFixedAndOffMarginsAreConstant() {
        var off = TimerSpinGovernor(policy: .off)
        var fixed = TimerSpinGovernor(policy: .fixed(microseconds: 250))
        off.recordWake(planned: 0, woke: 9_000_000)
        fixed.recordWake(planned: 0, woke: 9_000_000)
        fixed.recordSpin(from: 0, to: 900_000_000)
        XCTAssertEqual(off.margin(now: 1), 0)
        XCTAssertEqual(fixed.margin(now: 1), 250_000)
    }

    func testAdaptiveMarginIsTheWorstRecentWakeUpCappedAtTheCeiling() {
        var governor = TimerSpinGovernor(policy: .adaptive(ceilingMicroseconds: 2_000, budget: 0.5))
        XCTAssertEqual(governor.margin(now: 0), 300_000, "before any wake-up: the VM guess")
        governor.recordWake(planned: 1_000, woke: 101_000)  // 100 µs late
        XCTAssertEqual(governor.margin(now: 0), 120_000, "the first sample replaces the guess")
        governor.recordWake(planned: 1_000, woke: 701_000)  // 700 µs late: a new worst, at once
        XCTAssertEqual(governor.margin(now: 0), 720_000)
        governor.recordWake(planned: 1_000, woke: 51_000)
        XCTAssertEqual(governor.margin(now: 0), 720_000, "a milder wake-up keeps the worst")
        governor.recordWake(planned: 0, woke: 9_000_000)
        XCTAssertEqual(governor.margin(now: 0), 2_000_000, "capped at the ceiling")
        // Once 256 milder wake-ups replaced it, the 9 ms one ages out at the next rescan
        // (every 16 samples).
        for _ in 0..<(256 + 16) { governor.recordWake(planned: 0, woke: 40_000) }
        XCTAssertEqual(governor.margin(now: 0), 60_000)
        // Early wake-ups (woke before planned) count as on time.
        governor.recordWake(planned: 500, woke: 100)
        XCTAssertEqual(governor.margin(now: 0), 60_000)
    }

    func testAdaptiveSpinStopsWhenTheBudgetIsSpentUntilTheNextSecond() {
        var governor = TimerSpinGovernor(policy: .adaptive(ceilingMicroseconds: 5_000, budget: 0.1))
        governor.recordWake(planned: 0, woke: 1_000_000)
        let second: Nanos = 1_000_000_000
        XCTAssertEqual(governor.margin(now: second), 1_020_000)
        governor.recordSpin(from: second, to: second + 60_000_000)
        XCTAssertEqual(governor.margin(now: second + 70_000_000), 1_020_000, "60 ms of a 100 ms budget")
        governor.recordSpin(from: second + 70_000_000, to: second + 110_000_000)
        XCTAssertEqual(governor.margin(now: second + 120_000_000), 0, "100 ms spent: sleep to the deadline")
        XCTAssertEqual(governor.margin(now: 2 * second + 1), 1_020_000, "a new second, a new budget")
    }

    func testSpinArgumentForms() {
        XCTAssertEqual(TimerSpin(argument: "auto"), .automatic)
        XCTAssertEqual(TimerSpin(argument: "AUTO"), .automatic)
        XCTAssertEqual(TimerSpin(argument: "0"), .off)
        XCTAssertEqual(TimerSpin(argument: "off"), .off)
        XCTAssertEqual(TimerSpin(argument: "1500"), .fixed(microseconds: 1_500))
        XCTAssertNil(TimerSpin(argument: "-5"))
        XCTAssertNil(TimerSpin(argument: "fast"))
        XCTAssertNil(TimerSpin(argument: "2000000"))
    }

    func testOnlyPreciseTimersAreWorthPollingFor() {
        final class Nobody: TimerTarget { func timerFired(now: Nanos) {} }
        let target = Nobody()
        var heap = TimerHeap()
        heap.schedule(target, at: 20, precise: true)
        heap.schedule(target, at: 10, precise: false)  // a muted listener's wake-up
        XCTAssertEqual(heap.earliest, 10)
        XCTAssertFalse(heap.earliestIsPrecise, "sleep until the housekeeping timer")
        XCTAssertNotNil(heap.popDue(now: 10))
        XCTAssertTrue(heap.earliestIsPrecise, "then poll for the toxic's deadline")
    }
}
