import XCTest
@testable import ChaosProbe

/// A probe whose latency and health the test controls.
// @unchecked Sendable: delay and health are guarded by `lock`.
final class ScriptedProbe: Probe, @unchecked Sendable {
    let name: String
    private let lock = NSLock()
    private var delay: Double
    private var healthy = true
    init(name: String, delay: Double = 0) {
        self.name = name
        self.delay = delay
    }
    func set(delay: Double, healthy: Bool) {
        lock.lock(); defer { lock.unlock() }
        self.delay = delay
        self.healthy = healthy
    }
    func check() -> ProbeCheck {
        lock.lock()
        let (d, ok) = (delay, healthy)
        lock.unlock()
        if d > 0 { Thread.sleep(forTimeInterval: d) }
        return ok ? .healthy : .failure("scripted failure")
    }
}

final class ProbeLoopTests: XCTestCase {
    /// The schedule is absolute: tick k is planned at k × interval exactly, never starts early,
    /// and a late wake-up turns into counted missed ticks rather than a shifted plan. These hold
    /// on any machine; how late ticks start (the drift target) is scripts/bench-probe.sh's figure.
    func testTicksFollowAbsoluteScheduleWithoutDrift() {
        let loop = ProbeLoop(probes: [ScriptedProbe(name: "fast")], interval: 0.02)
        let run = loop.run(for: 1.0)
        let ticks = run.samples.map(\.tick)
        let schedule = loop.scheduleStatistics
        // (Samples are in start order; two workers may start adjacent ticks out of order.)
        let lastTick = ticks.max() ?? 0
        XCTAssertEqual(Set(ticks).count, ticks.count, "each tick once")
        XCTAssertEqual(ticks.count + schedule.missedTicks, lastTick + 1, "a tick is either sampled or counted missed")
        XCTAssertEqual(schedule.ticks, ticks.count)
        // Tick numbers follow the clock, not the count of wake-ups: no tick is planned past the
        // run's end, and even a starved scheduler accounts for most of the second.
        XCTAssertLessThanOrEqual(UInt64(lastTick) * 20_000_000, run.durationNanoseconds)
        XCTAssertGreaterThanOrEqual(lastTick, 25)
        for sample in run.samples {
            XCTAssertEqual(sample.plannedNanoseconds, UInt64(sample.tick) * 20_000_000, "plan is start + k × interval")
            XCTAssertGreaterThanOrEqual(sample.startNanoseconds, sample.plannedNanoseconds, "never early")
        }
        // Accumulated sleeps would make the lag grow along the run; absolute deadlines keep it
        // flat. The bound is a whole interval: noise on a loaded machine, not the target.
        let lags = run.samples.map { Double($0.startNanoseconds - $0.plannedNanoseconds) / 1e6 }
        let firstHalf = median(Array(lags.prefix(lags.count / 2))), secondHalf = median(Array(lags.suffix(lags.count / 2)))
        XCTAssertLessThan(secondHalf, firstHalf + 20)
    }

    /// A probe slower than the interval must not delay the schedule (nor the other probe);
    /// its ticks beyond the in-flight limit are recorded as skipped failures.
    func testSlowProbeDoesNotDelaySchedule() throws {
        let slow = ScriptedProbe(name: "slow", delay: 0.25)
        let fast = ScriptedProbe(name: "fast")
        let loop = ProbeLoop(probes: [slow, fast], interval: 0.05, maxInFlightPerProbe: 2)
        let run = loop.run(for: 1.0)
        let fastSamples = run.samples.filter { $0.probe == "fast" }
        XCTAssertGreaterThanOrEqual(fastSamples.count + loop.scheduleStatistics.missedTicks, 10)
        XCTAssertTrue(fastSamples.allSatisfy(\.ok))

        let slowSamples = run.samples.filter { $0.probe == "slow" }
        let skipped = slowSamples.filter(\.skipped)
        XCTAssertEqual(slowSamples.count, fastSamples.count, "one sample per tick for every probe")
        XCTAssertGreaterThan(skipped.count, 5)
        XCTAssertTrue(skipped.allSatisfy { $0.reason == "skipped: probe still running" && !$0.ok })
        XCTAssertEqual(Set(slowSamples.map(\.tick)).count, slowSamples.count)
        // The runs that did happen each took the full 250 ms.
        let slowRuns = slowSamples.filter { !$0.skipped }
        XCTAssertTrue(slowRuns.allSatisfy { ($0.latencyNanoseconds ?? 0) >= 250_000_000 })
        // Causality, not latency: the fast check of a tick whose slow check ran started while
        // that slow check was still running. Run serially behind it, it would start after.
        let firstSlowRun = try XCTUnwrap(slowRuns.first)
        let fastOfSameTick = try XCTUnwrap(fastSamples.first { $0.tick == firstSlowRun.tick })
        XCTAssertLessThan(fastOfSameTick.startNanoseconds,
                          firstSlowRun.startNanoseconds + (firstSlowRun.latencyNanoseconds ?? 0))
    }

    func testRealtimeSchedulerIsReportedAndLoopRuns() {
        let loop = ProbeLoop(probes: [ScriptedProbe(name: "p")], interval: 0.02, realtimeScheduler: true)
        let run = loop.run(for: 1.0)  // ~50 ticks; 10 leaves room for a loaded machine
        // Root (or CAP_SYS_NICE) gets SCHED_FIFO; otherwise the loop says it was refused and runs anyway.
        XCTAssertNotNil(run.schedule.realtime)
        if geteuid() == 0 { XCTAssertEqual(run.schedule.realtime, true) }
        XCTAssertGreaterThanOrEqual(run.samples.count, 10)
        XCTAssertNil(ProbeLoop(probes: [ScriptedProbe(name: "p")], interval: 0.02).run(for: 0.05).schedule.realtime)
    }

    func testPhasesAndMarksTagSamples() throws {
        let probe = ScriptedProbe(name: "svc")
        let loop = ProbeLoop(probes: [probe], interval: 0.02)
        loop.start()
        Thread.sleep(forTimeInterval: 0.2)
        loop.setPhase("during")
        loop.markFaultStart("blackhole")
        probe.set(delay: 0, healthy: false)
        let unhealthyFrom = loop.elapsedNanoseconds
        Thread.sleep(forTimeInterval: 0.2)
        probe.set(delay: 0, healthy: true)
        loop.markFaultEnd("blackhole")
        loop.setPhase("post")
        Thread.sleep(forTimeInterval: 0.2)
        let run = loop.stop()

        XCTAssertEqual(run.phaseNames, ["pre", "during", "post"])
        XCTAssertEqual(run.events.map(\.kind), [.phase, .phase, .faultStart, .faultEnd, .phase])
        let during = run.samples.filter { $0.phase == "during" }
        XCTAssertGreaterThan(during.count, 5)
        XCTAssertGreaterThan(during.filter { !$0.ok }.count, 5)
        XCTAssertTrue(run.samples.filter { $0.phase == "pre" }.allSatisfy(\.ok))
        let recovery = try XCTUnwrap(RecoveryAnalyzer.measure(run).first)
        XCTAssertEqual(recovery.mark.label, "blackhole")
        // Measured from the loop's own recorded instants, so exact whatever the scheduler did:
        // recovery runs from the fault-end mark to the first healthy sample after it (the probe
        // was healthy again before the mark), detection from the fault-start mark to the first
        // failed sample after it.
        let start = try XCTUnwrap(run.events.first { $0.kind == .faultStart }).atNanoseconds
        let end = try XCTUnwrap(run.events.first { $0.kind == .faultEnd }).atNanoseconds
        let firstAfterEnd = try XCTUnwrap(run.samples.first { $0.startNanoseconds >= end })
        XCTAssertTrue(firstAfterEnd.ok)
        XCTAssertEqual(recovery.recoveredAtNanoseconds, firstAfterEnd.startNanoseconds)
        XCTAssertEqual(try XCTUnwrap(recovery.recoverySeconds), Double(firstAfterEnd.startNanoseconds - end) / 1e9)
        let firstFailure = try XCTUnwrap(run.samples.first { !$0.ok && $0.startNanoseconds >= start })
        XCTAssertEqual(try XCTUnwrap(recovery.timeToDetectSeconds), Double(firstFailure.startNanoseconds - start) / 1e9)
        // Causality: the first check that began once the probe was unhealthy was that failure or came after it.
        let firstWhileUnhealthy = try XCTUnwrap(run.samples.first { $0.startNanoseconds >= unhealthyFrom })
        XCTAssertLessThanOrEqual(firstFailure.startNanoseconds, firstWhileUnhealthy.startNanoseconds)
        // Stopped means stopped: nothing more is recorded.
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertEqual(loop.record().samples.count, run.samples.count)
    }
}

private func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    return values.sorted()[values.count / 2]
}
