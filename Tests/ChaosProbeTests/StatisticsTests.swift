import XCTest
@testable import ChaosProbe

final class StatisticsTests: XCTestCase {
    func testPercentilesOfKnownData() throws {
        // 1 ms ... 1000 ms: pN is N% of 1000 ms, within HdrHistogram's 0.1 %.
        let values = (1...1000).map { UInt64($0) * 1_000_000 }.shuffled()
        let summary = try XCTUnwrap(LatencySummary(nanoseconds: values))
        XCTAssertEqual(summary.count, 1000)
        XCTAssertEqual(summary.p50Milliseconds, 500, accuracy: 0.5)
        XCTAssertEqual(summary.p95Milliseconds, 950, accuracy: 1)
        XCTAssertEqual(summary.p99Milliseconds, 990, accuracy: 1)
        XCTAssertEqual(summary.maxMilliseconds, 1000)
        XCTAssertEqual(summary.meanMilliseconds, 500.5, accuracy: 1e-9)
        XCTAssertNil(LatencySummary(nanoseconds: []))
    }

    func testPhaseStatisticsCountsAndRates() {
        var s = SyntheticRun()
        s.add([true, true, true, true])
        s.mark(.phase, "during", atTick: 4)
        s.add([true, false, false, true], latencyMs: 40)
        s.samples.append(ProbeSample(probe: "p", tick: 8, plannedNanoseconds: 800_000_000, startNanoseconds: 800_000_000,
                                     latencyNanoseconds: nil, ok: false, reason: "skipped: probe still running",
                                     phase: "during", wallClock: Date()))
        let phases = PhaseStatistics.byPhase(s.run)
        XCTAssertEqual(phases.map(\.phase), ["pre", "during"])
        XCTAssertEqual(phases[0].successRate, 1)
        XCTAssertEqual(phases[1].count, 5)
        XCTAssertEqual(phases[1].failures, 3)
        XCTAssertEqual(phases[1].skipped, 1)
        XCTAssertEqual(phases[1].errorRate, 0.6)
        XCTAssertEqual(phases[1].latency?.count, 4, "skipped ticks carry no latency")
        XCTAssertEqual(phases[1].latency?.p50Milliseconds ?? 0, 40, accuracy: 0.05)
        XCTAssertEqual(PhaseStatistics.overall(s.run).count, 9)
    }

    func testRecoveryIsMeasuredToFirstSampleOfHealthyRun() throws {
        var s = SyntheticRun()
        s.add([true, true, true])                      // ticks 0-2
        s.mark(.faultStart, "latency", atTick: 3)
        s.add([true, false, false, false])             // ticks 3-6: failure first seen at tick 4
        s.mark(.faultEnd, "latency", atTick: 7, offset: 10_000_000)
        // tick 7 fails, 8 ok, 9 fails (a lucky sample), 10-12 healthy run.
        s.add([false, true, false, true, true, true, true])
        let r = try XCTUnwrap(RecoveryAnalyzer.measure(s.run, consecutiveHealthy: 3).first)
        // Mark at 0.71 s; the healthy run starts at tick 10 = 1.0 s.
        XCTAssertEqual(try XCTUnwrap(r.recoverySeconds), 0.29, accuracy: 1e-9)
        XCTAssertEqual(r.recoveredAtNanoseconds, 1_000_000_000)
        XCTAssertEqual(try XCTUnwrap(r.timeToDetectSeconds), 0.1, accuracy: 1e-9)
        XCTAssertEqual(r.summary, "recovered in 290ms")
        // With N = 1 the lucky sample at tick 8 counts.
        XCTAssertEqual(try XCTUnwrap(RecoveryAnalyzer.measure(s.run, consecutiveHealthy: 1).first?.recoverySeconds), 0.09, accuracy: 1e-9)
    }

    func testNeverRecoveredIsNilWithObservedSpan() throws {
        var s = SyntheticRun()
        s.add([true, true])
        s.mark(.oneShot, "kill api-1", atTick: 2)
        s.add([false, false, true, true, false, false])
        let r = try XCTUnwrap(RecoveryAnalyzer.measure(s.run).first)
        XCTAssertNil(r.recoverySeconds)
        XCTAssertNil(r.recoveredAtNanoseconds)
        XCTAssertEqual(r.timeToDetectSeconds, 0)
        XCTAssertEqual(r.observedSeconds, 0.6, accuracy: 1e-9)
        XCTAssertEqual(r.summary, "not recovered within 600ms")
    }

    func testSystemRecoversWhenTheLastProbeDoes() throws {
        var s = SyntheticRun()
        s.mark(.oneShot, "restart", atTick: 0)
        s.add([false, true, true, true, true, true], probe: "fast")
        s.add([false, false, false, true, true, true], probe: "slow")
        let r = try XCTUnwrap(RecoveryAnalyzer.measure(s.run).first)
        XCTAssertEqual(r.perProbe["fast"] ?? nil, 0.1)
        XCTAssertEqual(r.perProbe["slow"] ?? nil, 0.3)
        XCTAssertEqual(r.recoverySeconds, 0.3)
    }

    func testSLOVerdicts() throws {
        var s = SyntheticRun()
        s.add([true, true, true, true], latencyMs: 20)
        s.mark(.phase, "during", atTick: 4)
        s.mark(.oneShot, "kill", atTick: 4)
        s.add([false, false, true, true, true, true], latencyMs: 150)
        s.mark(.phase, "post", atTick: 10)
        s.add([true, true, true, true], latencyMs: 30)
        let objectives = [
            ServiceLevelObjectives(maxErrorRate: 0.01, p95Milliseconds: 100, recoverWithin: 0.5, phases: ["pre", "post"]),
            ServiceLevelObjectives(maxErrorRate: 0.25, p99Milliseconds: 100, phases: ["during", "missing"]),
        ]
        let analysis = RunAnalysis(s.run, objectives: objectives)
        let byName = Dictionary(uniqueKeysWithValues: analysis.verdicts.map { ($0.name, $0) })
        XCTAssertEqual(byName["max_error_rate[pre]"]?.passed, true)
        XCTAssertEqual(byName["p95_ms[post]"]?.passed, true)
        XCTAssertEqual(byName["p95_ms[post]"]?.measured ?? 0, 30, accuracy: 0.05)
        let recovery = try XCTUnwrap(byName["recover_within[kill]"])
        XCTAssertTrue(recovery.passed)
        XCTAssertEqual(try XCTUnwrap(recovery.measured), 0.2, accuracy: 1e-9)
        let duringErrors = try XCTUnwrap(byName["max_error_rate[during]"])
        XCTAssertFalse(duringErrors.passed)
        XCTAssertEqual(try XCTUnwrap(duringErrors.measured), 2.0 / 6.0, accuracy: 1e-9)
        XCTAssertEqual(duringErrors.detail, "error rate 33.33% > 25.00% in during (2/6 failed)")
        XCTAssertEqual(byName["p99_ms[during]"]?.passed, false)
        // A phase the SLO names but the run never entered is not measured instead of vanishing.
        XCTAssertEqual(byName["max_error_rate[missing]"]?.passed, false)
        XCTAssertNil(byName["max_error_rate[missing]"]?.measured)
        XCTAssertEqual(byName["max_error_rate[missing]"]?.notMeasured, "no samples in missing")
        XCTAssertFalse(analysis.passed)
        XCTAssertEqual(analysis.verdicts.count, 9)
    }
}
