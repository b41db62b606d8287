import XCTest
@testable import ChaosProbe
@testable import ChaosReport

/// No claim from no data: a recovery, a limit or a whole run that had nothing to measure
/// says "not measured", never "not recovered", "FAIL" or "PASSED". Exact timings come from
/// SyntheticRun; ProbeCommandTests and RunCommandTests check the same through real runs.
final class NotMeasuredTests: XCTestCase {
    /// pre: 5 healthy; a fault from tick 5; its end at `endTick`.
    private func faultRun(during: [Bool], after: [Bool]) -> SyntheticRun {
        var s = SyntheticRun()
        s.add([true, true, true, true, true])
        s.mark(.phase, "during", atTick: 5)
        s.mark(.faultStart, "break", atTick: 5)
        s.add(during)
        s.mark(.faultEnd, "break", atTick: 5 + during.count)
        s.mark(.phase, "post", atTick: 5 + during.count)
        s.add(after)
        return s
    }

    func testNoSampleAfterTheMarkIsNotMeasuredNotUnrecovered() throws {
        let run = faultRun(during: [false, false, false], after: []).run
        let recovery = try XCTUnwrap(RecoveryAnalyzer.measure(run).first)
        XCTAssertNil(recovery.recoverySeconds)
        XCTAssertTrue(recovery.summary.hasPrefix("not measured"), recovery.summary)
        let verdict = try XCTUnwrap(RunAnalysis(run, objectives: [ServiceLevelObjectives(recoverWithin: 5)]).verdicts.first)
        XCTAssertFalse(verdict.passed, "not measured is not a pass")
        XCTAssertTrue(verdict.detail.contains("not measured"), verdict.detail)
        XCTAssertFalse(verdict.detail.contains("not recovered"), verdict.detail)
    }

    func testHealthyTailShorterThanTheStreakIsNotMeasured() throws {
        // Two healthy samples after the mark, three needed: recovery may be under way.
        let run = faultRun(during: [false, false], after: [true, true]).run
        let recovery = try XCTUnwrap(RecoveryAnalyzer.measure(run, consecutiveHealthy: 3).first)
        XCTAssertTrue(recovery.summary.hasPrefix("not measured"), recovery.summary)
    }

    func testFailingForLessThanTheLimitIsNotMeasuredButLongerFails() throws {
        // 0.3 s of failures observed against a 5 s limit proves nothing about the limit.
        let short = faultRun(during: [false], after: [false, false, false]).run
        let shortVerdict = try XCTUnwrap(RunAnalysis(short, objectives: [ServiceLevelObjectives(recoverWithin: 5)]).verdicts.first)
        XCTAssertFalse(shortVerdict.passed)
        XCTAssertTrue(shortVerdict.detail.contains("not measured"), shortVerdict.detail)
        // 1 s of failures against a 0.5 s limit is a measured miss.
        let long = faultRun(during: [false], after: Array(repeating: false, count: 10)).run
        let longVerdict = try XCTUnwrap(RunAnalysis(long, objectives: [ServiceLevelObjectives(recoverWithin: 0.5)]).verdicts.first)
        XCTAssertFalse(longVerdict.passed)
        XCTAssertTrue(longVerdict.detail.contains("not recovered within"), longVerdict.detail)
        XCTAssertFalse(longVerdict.detail.contains("not measured"), longVerdict.detail)
    }

    func testPhaseWithoutSamplesIsNotMeasured() throws {
        let run = faultRun(during: [true], after: [true]).run
        let analysis = RunAnalysis(run, objectives: [ServiceLevelObjectives(maxErrorRate: 0.1, phases: ["missing"])])
        let verdict = try XCTUnwrap(analysis.verdicts.first)
        XCTAssertFalse(verdict.passed)
        XCTAssertTrue(verdict.detail.hasPrefix("not measured"), verdict.detail)
        let markdown = MarkdownReport.render(RunReport(title: "t", run: run, analysis: analysis))
        XCTAssertFalse(markdown.contains("PASSED"), markdown)
        XCTAssertFalse(markdown.contains("**FAIL**"), "an unmeasured limit is not a failed one: \(markdown)")
    }

    func testEmptyRunIsNeverAPass() throws {
        let run = ProbeRun(intervalNanoseconds: 100_000_000, startedAt: Date(timeIntervalSince1970: 1_700_000_000),
                           durationNanoseconds: 0, samples: [], events: [])
        let report = RunReport(title: "probe", run: run,
                               analysis: RunAnalysis(run, objectives: [ServiceLevelObjectives(maxErrorRate: 0)]))
        let markdown = MarkdownReport.render(report)
        XCTAssertFalse(markdown.contains("PASSED"), markdown)
        XCTAssertTrue(markdown.contains("not measured"), markdown)
        XCTAssertFalse(markdown.contains("0 ticks, max lateness"), "no ticks, no lateness figure: \(markdown)")
        XCTAssertFalse(report.passed)
    }

    func testReportWithoutAnyCheckClaimsNothing() throws {
        let run = faultRun(during: [true], after: [true]).run
        let report = RunReport(title: "nothing checked", run: run, analysis: RunAnalysis(run))
        XCTAssertFalse(report.passed, "nothing was checked, so nothing passed")
        XCTAssertFalse(MarkdownReport.render(report).contains("PASSED"))
        XCTAssertFalse(HTMLReport.render(report).contains("PASSED"))
        let junit = JUnitReport.render(report)
        XCTAssertFalse(junit.contains("tests=\"0\""), junit)
        XCTAssertTrue(junit.contains("<error"), junit)
    }
}
