import ChaosLoad
import ChaosTestSupport
import Foundation
import XCTest

/// Real Locust (PyPI 2.47.0) against the loopback target with `--csv --csv-full-history`
/// added by `GeneratorCommand`: the same kind of known fault as the k6 test. Locust stamps
/// its rows in whole seconds, so each phase cut is exact to one second: the tolerances below
/// follow from that (docs/load-results.md).
final class LocustEndToEndTests: XCTestCase {
    func testPhasesAndRecoveryFromCumulativeCounts() throws {
        let locust = try generatorPath("locust")
        let target = try LoadTarget()
        defer { target.stop() }
        let folder = try temporaryDirectory("locust")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A 2 s percentile window so the phases below are long enough to hold one.
        try """
        import locust.stats
        from locust import HttpUser, task, constant
        locust.stats.CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW = 2
        class User(HttpUser):
            wait_time = constant(0.02)
            @task
            def work(self):
                self.client.get("/work")
        """.write(toFile: folder + "/locustfile.py", atomically: true, encoding: .utf8)
        let argv = [locust, "-f", folder + "/locustfile.py", "--headless", "-u", "4", "-r", "4", "-t", "22s",
                    "-H", "http://127.0.0.1:\(target.port)", "--only-summary"]
        let prepared = try XCTUnwrap(GeneratorCommand.prepare(argv, reportDirectory: folder))
        XCTAssertEqual(prepared.resultsPath, folder + "/locust_stats_history.csv")

        let loadStart = ClockReading.now()
        let run = try GeneratorRun(argv: prepared.argv, directory: folder)
        let fault = try target.inject(after: 6, for: 6, delayMilliseconds: 60, lingering: 2)
        let (faultStart, faultEnd, healthy) = (fault.start, fault.end, fault.healthy)
        let exit = run.wait(seconds: 40)
        let loadEnd = try XCTUnwrap(exit.endedAt)

        let plan = LoadPhasePlan.standard(loadStart: loadStart, loadEnd: loadEnd,
                                          faults: [FaultWindow(name: "errors+latency", start: faultStart, end: faultEnd)])
        var options = LoadAnalysisOptions()
        options.locustPercentileWindowSeconds = 2
        // Locust (Python) takes seconds to start its users on a loaded 2-core machine.
        options.coverageSlackSeconds = 4
        options.recovery = RecoveryCriteria(windowSeconds: 3, consecutiveWindows: 1, maxErrorRate: 0.01)
        let summary = LoadResults.locust(historyPath: prepared.resultsPath, plan: plan, options: options, exit: exit)
        print("locust summary:", String(decoding: try JSONEncoder().encode(summary), as: UTF8.self))

        XCTAssertEqual(exit.exitCode, 1, "Locust exits 1 when it saw failures")
        XCTAssertEqual(summary.blockingProblems, [], "\(summary.problems)")
        XCTAssertTrue(summary.problems.contains { $0.effect == .note && $0.message.contains("locust exited 1") })
        let pre = try XCTUnwrap(summary.phases["pre"])
        let during = try XCTUnwrap(summary.phases["during"])
        XCTAssertGreaterThan(pre.requests, 50)
        XCTAssertEqual(try XCTUnwrap(pre.errorRate), 0, accuracy: 0.001)
        // Only rows surely inside the phase count: no traffic of another phase gets in.
        XCTAssertEqual(try XCTUnwrap(during.errorRate), 0.5, accuracy: 0.05)
        XCTAssertNil(during.notMeasured)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(during.p95Milliseconds), 60)
        XCTAssertLessThan(try XCTUnwrap(pre.p95Milliseconds), 40)
        XCTAssertEqual(during.names?["/work"]?.requests, during.requests, "one name: its figures are the totals")
        XCTAssertEqual(pre.names?["/work"]?.requests, pre.requests)

        let recovery = try XCTUnwrap(summary.recoveries.first)
        let measured = try XCTUnwrap(recovery.recoverySeconds, recovery.summary)
        let trueRecovery = faultEnd.seconds(to: healthy)
        XCTAssertLessThanOrEqual(abs(measured - trueRecovery), options.recovery.windowSeconds,
                                 "measured \(measured) s, true \(trueRecovery) s")
    }
}
