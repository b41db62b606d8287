@testable import ChaosLoad
import Foundation
import XCTest

/// Samples made by the test at known instants, so every figure has an exact expected value.
final class PhaseAccumulatorTests: XCTestCase {
    let start = ClockReading(monotonicNanoseconds: 5_000_000_000, wallNanoseconds: 1_796_300_000_000_000_000)

    /// 100 requests a second from `from` to `to` (seconds after start); every `failEvery`th fails.
    func traffic(_ sink: inout PhaseAccumulator, from: Double, to: Double, latency: Double, failEvery: Int = 0, name: String = "GET /") {
        var t = from
        var n = 0
        while t < to - 1e-9 {
            n += 1
            let failed = failEvery > 0 && n % failEvery == 0
            sink.record(LoadSample(wallNanoseconds: start.wallNanoseconds + Int64((t * 1e9).rounded()),
                                   latencyMilliseconds: latency + Double(n % 10), outcome: failed ? .failure : .success, name: name))
            t += 0.01
        }
    }

    func plan(faultFrom: Double = 10, to: Double = 20, end: Double = 30, skewAtEnd: Double = 0) -> LoadPhasePlan {
        LoadPhasePlan.standard(loadStart: start, loadEnd: reading(start, plus: end, wallSkew: skewAtEnd),
                               faults: [FaultWindow(name: "latency", start: reading(start, plus: faultFrom),
                                                    end: reading(start, plus: to))])
    }

    func testFiguresDeltasAndRecoveryPerPhase() throws {
        var options = LoadAnalysisOptions()
        options.recovery = RecoveryCriteria(windowSeconds: 1, consecutiveWindows: 3, maxErrorRate: 0.01, maxP95Milliseconds: 50)
        var accumulator = PhaseAccumulator(plan: plan(), options: options)
        traffic(&accumulator, from: 0, to: 10, latency: 10)
        traffic(&accumulator, from: 10, to: 20, latency: 200, failEvery: 4)
        traffic(&accumulator, from: 20, to: 24.5, latency: 200, failEvery: 4)   // still broken 4.5 s after the end
        traffic(&accumulator, from: 24.5, to: 30, latency: 10)
        let summary = accumulator.summary(tool: .jsonl, source: "test", counts: IngestCounts(), problems: [])

        let pre = try XCTUnwrap(summary.phases["pre"])
        XCTAssertEqual(pre.requests, 1000)
        XCTAssertEqual(pre.errorRate, 0)
        XCTAssertEqual(try XCTUnwrap(pre.requestRate), 100, accuracy: 0.01)
        XCTAssertEqual(try XCTUnwrap(pre.p50Milliseconds), 14, accuracy: 0.02)
        XCTAssertEqual(try XCTUnwrap(pre.p95Milliseconds), 19, accuracy: 0.02)
        XCTAssertNil(pre.notMeasured)
        let during = try XCTUnwrap(summary.phases["during"])
        XCTAssertEqual(during.requests, 1000)
        XCTAssertEqual(during.errorRate, 0.25)
        XCTAssertEqual(try XCTUnwrap(during.p99Milliseconds), 209, accuracy: 0.3)
        XCTAssertEqual(try XCTUnwrap(during.delta?.p95Milliseconds), 190, accuracy: 0.3)
        XCTAssertEqual(during.delta?.errorRate, 0.25)
        XCTAssertEqual(summary.phases["latency"], summary.phases["during"])
        XCTAssertEqual(summary.phases["post"]?.names?["GET /"]?.requests, 1000)
        XCTAssertEqual(summary.phaseOrder, ["pre", "during", "post", "latency"])
        let recovery = try XCTUnwrap(summary.recoveries.first)
        // Broken until 4.5 s after the end: window 4 holds failures, window 5 is the first healthy one.
        XCTAssertEqual(recovery.recoverySeconds, 5)
        XCTAssertEqual(recovery.windowsExamined, 10)
        XCTAssertTrue(summary.fullyMeasured)
    }

    func testNotRecoveredAndUndecidedRecoveries() throws {
        var options = LoadAnalysisOptions()
        options.recovery = RecoveryCriteria(windowSeconds: 1, consecutiveWindows: 3, maxErrorRate: 0.01)
        var broken = PhaseAccumulator(plan: plan(), options: options)
        traffic(&broken, from: 0, to: 30, latency: 10, failEvery: 2)
        let never = try XCTUnwrap(broken.summary(tool: .k6, source: "t", counts: IngestCounts(), problems: []).recoveries.first)
        XCTAssertNil(never.recoverySeconds)
        XCTAssertNil(never.notMeasured)
        XCTAssertEqual(never.summary, "not recovered within 10.0s")

        var short = PhaseAccumulator(plan: plan(), options: options)
        traffic(&short, from: 0, to: 28, latency: 10, failEvery: 2)
        traffic(&short, from: 28, to: 30, latency: 10)
        let streak = try XCTUnwrap(short.summary(tool: .k6, source: "t", counts: IngestCounts(), problems: []).recoveries.first)
        XCTAssertEqual(streak.notMeasured, "2 healthy window(s) in a row of the 3 needed when the observation ended")
    }

    func testWindowsWithoutDataNeitherHealNorBreakARun() {
        let criteria = RecoveryCriteria(windowSeconds: 3, consecutiveWindows: 2, maxErrorRate: 0.01)
        let bad = TrafficWindow(requests: 10, errorRate: 0.5)
        let good = TrafficWindow(requests: 10, errorRate: 0)
        let gap = TrafficWindow(requests: 0, errorRate: nil, noData: true)
        XCTAssertEqual(LoadRecovery.find(fault: "f", windows: [bad, good, gap, good], criteria: criteria).recoverySeconds, 3)
        XCTAssertEqual(LoadRecovery.find(fault: "f", windows: [bad, gap, good, good], criteria: criteria).recoverySeconds, 6)
        XCTAssertEqual(LoadRecovery.find(fault: "f", windows: [bad, gap, gap], criteria: criteria).summary, "not recovered within 9.0s")
        XCTAssertEqual(LoadRecovery.find(fault: "f", windows: [gap, gap], criteria: criteria).notMeasured,
                       "no full 3.0s window of traffic after the fault ended")
    }

    /// Bad input: the wall clock stepped 3 s during the run; every phase is "not measured".
    func testAWallClockStepDuringTheRunIsRefused() throws {
        var accumulator = PhaseAccumulator(plan: plan(skewAtEnd: 3))
        traffic(&accumulator, from: 0, to: 30, latency: 10)
        let summary = accumulator.summary(tool: .k6, source: "out.json", counts: IngestCounts(), problems: [])
        let problem = try XCTUnwrap(summary.blockingProblems.first?.message)
        XCTAssertTrue(problem.hasPrefix("the wall clock moved 3s against the monotonic clock between load start and load end"), problem)
        XCTAssertTrue(summary.phases.values.allSatisfy { $0.notMeasured?.contains("wall clock moved") == true })
        XCTAssertTrue(summary.recoveries.allSatisfy { $0.recoverySeconds == nil && $0.notMeasured != nil })
    }

    /// Bad input: the generator's clock is 40 s ahead of this machine's (another host).
    func testSamplesStampedOutsideTheLoadAreAClockDisagreement() throws {
        var accumulator = PhaseAccumulator(plan: plan())
        traffic(&accumulator, from: 40, to: 70, latency: 10)
        let summary = accumulator.summary(tool: .k6, source: "out.json", counts: IngestCounts(), problems: [])
        let problem = try XCTUnwrap(summary.blockingProblems.first?.message)
        XCTAssertTrue(problem.hasPrefix("3000 of 3000 requests lie outside the load's span by more than 1s: 3000 stamped after it stopped (up to 39.99s after)"), problem)
        XCTAssertEqual(summary.phases["pre"]?.requests, 0)
        XCTAssertNotNil(summary.phases["pre"]?.notMeasured)
    }

    /// Bad input: the generator died 12 s into a 30 s load with a code of its own.
    func testAGeneratorThatEndsEarlyLeavesLaterPhasesUnmeasured() throws {
        var accumulator = PhaseAccumulator(plan: plan())
        traffic(&accumulator, from: 0, to: 12, latency: 10)
        let exit = GeneratorExit(exitCode: 107, endedAt: reading(start, plus: 12))
        let summary = accumulator.summary(tool: .k6, source: "out.json", counts: IngestCounts(), problems: [], exit: exit)
        XCTAssertEqual(summary.blockingProblems.map(\.message), [
            "k6 exited with code 107: its output may be incomplete",
            "k6 ended 18s before the load was due to stop: later phases have no traffic",
        ])
        XCTAssertTrue(summary.phases.values.allSatisfy { $0.notMeasured != nil })

        // The same traffic without the exit information: coverage alone tells.
        var silent = PhaseAccumulator(plan: plan())
        traffic(&silent, from: 0, to: 12, latency: 10)
        let covered = silent.summary(tool: .k6, source: "out.json", counts: IngestCounts(), problems: [])
        XCTAssertNil(covered.phases["pre"]?.notMeasured)
        XCTAssertEqual(covered.phases["during"]?.notMeasured,
                       "traffic stopped 8.01s before this phase ended (the generator ended or stalled)")
        XCTAssertEqual(covered.phases["post"]?.notMeasured, "no request in this phase (10s long)")
    }

    func testK6Exit99IsANoteAndThresholdsCarryTheVerdict() throws {
        var accumulator = PhaseAccumulator(plan: plan())
        traffic(&accumulator, from: 0, to: 30, latency: 10)
        let summary = accumulator.summary(tool: .k6, source: "out.json", counts: IngestCounts(), problems: [],
                                          thresholds: [K6Threshold(metric: "http_req_failed", expression: "rate<0.01", failed: true)],
                                          exit: GeneratorExit(exitCode: 99, endedAt: reading(start, plus: 30)))
        XCTAssertEqual(summary.blockingProblems, [])
        XCTAssertEqual(summary.problems.map(\.effect), [.note])
        XCTAssertTrue(summary.fullyMeasured)
    }

    func testLiveWindowRatesOverTheLastSeconds() {
        var live = LiveLoadWindow(seconds: 30)
        for second in 0..<20 {
            for n in 0..<10 {
                live.record(LoadSample(wallNanoseconds: start.wallNanoseconds + Int64(second) * 1_000_000_000 + Int64(n) * 1_000_000,
                                       latencyMilliseconds: 1, outcome: second >= 15 && n < 5 ? .failure : .success))
            }
        }
        let last5 = live.recent(seconds: 5)   // seconds 14..18 (19 still filling)
        XCTAssertEqual(last5.requests, 50)
        XCTAssertEqual(last5.errorRate, 0.4)
        XCTAssertEqual(last5.requestRate, 10)
    }

    /// A generator whose clock reads before 1970 stamps negative seconds: the live window
    /// counts them in their own second instead of indexing before its ring (which trapped).
    func testLiveWindowTakesStampsBefore1970() {
        var live = LiveLoadWindow(seconds: 30)
        for n in 0..<6 {
            live.record(LoadSample(wallNanoseconds: -5_000_000_000 + Int64(n) * 400_000_000, latencyMilliseconds: 1,
                                   outcome: n == 0 ? .failure : .success))
        }
        XCTAssertEqual(live.newestSecond, -3)
        // Stamps -5.0 -4.6 -4.2 -3.8 -3.4 -3.0 s fall in seconds -5 -4 -4 -3 -3 -3 (division
        // truncates toward zero); -3 is still filling.
        let seen = live.recent(seconds: 2)
        XCTAssertEqual(seen.requests, 3)
        XCTAssertEqual(seen.errorRate, 1.0 / 3)
    }
}
