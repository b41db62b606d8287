import ChaosTestSupport
import XCTest
@testable import ChaosProbe
@testable import ChaosReport

/// The timeline's marks, read back from its SVG with an XML parser (the pixels are checked in
/// ChaosExperimentTests' ReportRenderingTests, rendered by Chromium).
final class TimelineChartTests: XCTestCase {
    /// pre 5 healthy, fault "drop packets" for 5 samples (3 fast failures), post 6 samples.
    private func report(recoverWithin: Double = 5, series: [TimeSeries]? = nil) -> RunReport {
        var s = SyntheticRun()
        s.add([true, true, true, true, true], latencyMs: 12)
        s.addFault("drop packets", [true, false, false, false, true], latencyMs: 0.2)
        s.add([true, true, true, true, true, true], latencyMs: 14)
        let analysis = RunAnalysis(s.run, objectives: [
            ServiceLevelObjectives(maxErrorRate: 0.5, p95Milliseconds: 40, recoverWithin: recoverWithin),
        ])
        return RunReport(title: "chart", run: s.run, analysis: analysis, series: series)
    }

    private func svg(_ report: RunReport) throws -> SVGElements { try SVGElements(TimelineChart().render(report)) }

    func testFailedSamplesAreCrossesInTheFailedLaneNotPointsOnTheLatencyAxis() throws {
        let chart = try svg(report())
        let lane = try XCTUnwrap(chart.withClass("failure-lane").first)
        let failures = chart.withClass("fail")
        XCTAssertEqual(failures.count, 3)
        for cross in failures {
            XCTAssertEqual(cross.name, "path")
            // Every coordinate of the cross lies inside the lane.
            let ys = (cross.attributes["d"] ?? "").split(whereSeparator: { "ML ".contains($0) }).compactMap { Double($0) }.enumerated()
                .filter { $0.offset % 2 == 1 }.map(\.element)
            XCTAssertFalse(ys.isEmpty)
            XCTAssertTrue(ys.allSatisfy { $0 >= lane.number("y") && $0 <= lane.number("y") + lane.number("height") }, "\(ys)")
            XCTAssertTrue(cross.title.contains("down after 0.2 ms"), cross.title)
        }
        let area = try XCTUnwrap(chart.withClass("latency-area").first)
        let dots = chart.withClass("ok")
        XCTAssertEqual(dots.count, 13)
        XCTAssertTrue(dots.allSatisfy { $0.number("cy") > area.number("y") && $0.number("cy") <= area.number("y") + area.number("height") })
    }

    func testFaultWindowIsLabelledWithItsStepName() throws {
        let chart = try svg(report())
        let label = try XCTUnwrap(chart.withClass("fault-label").first)
        XCTAssertEqual(label.text, "drop packets")
        let window = try XCTUnwrap(chart.withClass("fault-window").first)
        XCTAssertGreaterThan(label.number("x"), window.number("x"))
        XCTAssertLessThan(label.number("x"), window.number("x") + window.number("width"))
        XCTAssertEqual(window.title, "drop packets")
    }

    func testLongStepNameInANarrowWindowIsCutAndKeptWhole() throws {
        var s = SyntheticRun()
        s.add(Array(repeating: true, count: 100))
        s.mark(.faultStart, String(repeating: "very long step name ", count: 5), atTick: 50)
        s.mark(.faultEnd, String(repeating: "very long step name ", count: 5), atTick: 51)
        let chart = try svg(RunReport(title: "narrow", run: s.run, analysis: RunAnalysis(s.run)))
        let label = try XCTUnwrap(chart.withClass("fault-label").first)
        XCTAssertTrue(label.text.hasSuffix("…"), label.text)
        XCTAssertLessThan(label.text.count, 20)
        XCTAssertEqual(label.title, String(repeating: "very long step name ", count: 5))
    }

    func testSLOLimitsAreLinesAtTheirValues() throws {
        let chart = try svg(report())
        let area = try XCTUnwrap(chart.withClass("latency-area").first)
        let rate = try XCTUnwrap(chart.withClass("rate-area").first)
        let limits = chart.withClass("slo-limit")
        // p95 and error rate, each over pre, during and post.
        XCTAssertEqual(limits.filter { $0.title.hasPrefix("p95") }.count, 3)
        XCTAssertEqual(limits.filter { $0.title.hasPrefix("error rate") }.count, 3)
        let p95 = try XCTUnwrap(limits.first { $0.title.hasPrefix("p95") })
        XCTAssertEqual(p95.title, "p95 ≤ 40.0 ms")
        // Latency axis 0…50 ms (40 ms × 1.1, rounded up): the 40 ms line is 4/5 of the way up.
        let bottom = area.number("y") + area.number("height")
        XCTAssertEqual(p95.number("y1"), bottom - 0.8 * area.number("height"), accuracy: 0.2)
        let errorLine = try XCTUnwrap(limits.first { $0.title.hasPrefix("error rate") })
        XCTAssertEqual(errorLine.number("y1"), rate.number("y") + rate.number("height") / 2, accuracy: 0.2, "50% on the 0–100% axis")
        XCTAssertTrue(chart.all.contains { $0.name == "text" && $0.text == "p95 ≤ 40.0 ms" })
    }

    func testRecoveryIsMarkedWhereItWasReached() throws {
        let r = report()
        let recovery = try XCTUnwrap(r.analysis.recoveries.first)
        let at = try XCTUnwrap(recovery.recoveredAtNanoseconds)
        let chart = try svg(r)
        let mark = try XCTUnwrap(chart.withClass("recovery-mark").first)
        let area = try XCTUnwrap(chart.withClass("latency-area").first)
        let x = area.number("x") + Double(at) / Double(r.run.durationNanoseconds) * area.number("width")
        XCTAssertEqual(mark.number("x1"), x, accuracy: 0.2)
        XCTAssertTrue(chart.all.contains { $0.text.hasPrefix("recovered (") })
    }

    func testNoRecoveryMarkWhenRecoveryWasNotReached() throws {
        var s = SyntheticRun()
        s.add([true, true, true])
        s.mark(.oneShot, "kill api", atTick: 3)
        s.add([false, false, false])
        let r = RunReport(title: "down", run: s.run, analysis: RunAnalysis(s.run, objectives: [.init(recoverWithin: 0.1)]))
        XCTAssertNil(r.analysis.recoveries.first?.recoveredAtNanoseconds)
        let chart = try svg(r)
        XCTAssertTrue(chart.withClass("recovery-mark").isEmpty)
        XCTAssertFalse(chart.all.contains { $0.text.contains("recovery reached") }, "nothing in the legend for what is not drawn")
        XCTAssertEqual(chart.withClass("one-shot").first?.title, "kill api")
    }

    func testRecoverWithinDeadlineIsDrawnWhenItFallsInsideTheRun() throws {
        XCTAssertEqual(try svg(report(recoverWithin: 0.3)).withClass("slo-deadline").count, 1)
        XCTAssertTrue(try svg(report(recoverWithin: 60)).withClass("slo-deadline").isEmpty, "past the end of the record")
    }

    func testLegendNamesEveryKindOfMarkDrawn() throws {
        let chart = try svg(report())
        let labels = chart.all.filter { $0.name == "text" }.map(\.text)
        for expected in ["fault window (step name)", "healthy check (latency)", "failed check", "SLO limit", "recovery reached",
                         "probe checks/s", "probe error rate"] {
            XCTAssertTrue(labels.contains(expected), "legend lacks \(expected): \(labels)")
        }
        XCTAssertEqual(chart.withClass("legend-item").count, 7)
    }

    func testRatePanelHasAGapWhereNoSampleWasTaken() throws {
        var s = SyntheticRun()
        s.add(Array(repeating: true, count: 10))
        // 20 ticks missed outright (nothing recorded), then 10 more samples.
        s.samples += (30..<40).map { tick in
            ProbeSample(probe: "p", tick: tick, plannedNanoseconds: UInt64(tick) * s.interval, startNanoseconds: UInt64(tick) * s.interval,
                        latencyNanoseconds: 5_000_000, ok: tick % 2 == 0, reason: tick % 2 == 0 ? nil : "down", phase: "pre",
                        wallClock: Date(timeIntervalSince1970: 1_700_000_000))
        }
        let series = ProbeRates.series(s.run)
        let errors = try XCTUnwrap(series.first { $0.quantity == .errorRate })
        // Buckets of 5 intervals: 2 before the gap, 4 empty, 2 after.
        XCTAssertEqual(errors.points.map(\.value), [0, 0, nil, nil, nil, nil, 0.4, 0.6])
        let checks = try XCTUnwrap(series.first { $0.quantity == .requestRate })
        XCTAssertEqual(checks.points.first?.value ?? 0, 10, accuracy: 1e-9, "5 checks in 0.5 s")
        // The drawn line breaks at the gap: two runs of points, not one through zero.
        let path = try XCTUnwrap(try svg(RunReport(title: "gap", run: s.run, analysis: RunAnalysis(s.run))).withClass("series")
            .first { $0.attributes["stroke"] == "#c2185b" })
        XCTAssertEqual((path.attributes["d"] ?? "").filter { $0 == "M" }.count, 2, path.attributes["d"] ?? "")
    }

    func testSeriesFromAnotherSourceAreDrawnAndNamed() throws {
        let users = TimeSeries(name: "k6 requests/s", quantity: .requestRate,
                               points: [.init(atNanoseconds: 0, value: 120), .init(atNanoseconds: 800_000_000, value: 90),
                                        .init(atNanoseconds: 1_500_000_000, value: 118)])
        let latency = TimeSeries(name: "k6 p95", quantity: .latency, points: [.init(atNanoseconds: 0, value: 30), .init(atNanoseconds: 1_000_000_000, value: 45)])
        let chart = try svg(report(series: [users, latency]))
        let labels = chart.all.filter { $0.name == "text" }.map(\.text)
        XCTAssertTrue(labels.contains("k6 requests/s"))
        XCTAssertTrue(labels.contains("k6 p95"))
        XCTAssertEqual(chart.withClass("series").count, 4, "two probe series and two added")
        // The rate axis grew to fit 120/s (rounded up to 200).
        XCTAssertTrue(labels.contains("200/s"), "\(labels)")
    }

    func testARunWithoutSamplesDrawsNoLineAndSaysNothingWasMeasured() throws {
        let run = ProbeRun(intervalNanoseconds: 100_000_000, startedAt: Date(), durationNanoseconds: 2_000_000_000, samples: [], events: [])
        let chart = try svg(RunReport(title: "empty", run: run, analysis: RunAnalysis(run)))
        XCTAssertTrue(chart.withClass("series").isEmpty, "no line through data that does not exist")
        XCTAssertTrue(chart.withClass("legend-item").isEmpty)
        XCTAssertEqual(chart.withClass("not-measured").first?.text, "no probe sample was taken: nothing measured")
    }
}
