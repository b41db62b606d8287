import ChaosControl
import ChaosCore
import ChaosExperiment
import ChaosFlags
import ChaosReport
import Foundation
import XCTest

final class ExperimentRunnerTests: XCTestCase {
    var dir: String!
    var controlPath: String { dir + "/control.json" }
    var service: FlaggedTestService!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "chaos-exp-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        service?.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func write(_ yaml: String, name: String = "exp.yaml") throws -> String {
        let path = dir + "/" + name
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func run(_ file: String) throws -> ExperimentRunner.Result {
        let context = ExperimentContext(controlPath: controlPath, httpTransport: CurlProbeTransport())
        let experiment = try ExperimentParser.load(file: file, context: context)
        let lifecycle = FaultLifecycle(journal: FaultJournal(directory: dir + "/state"),
                                       reverters: [FlagReverter(), CommandReverter()])
        let runner = ExperimentRunner(experiment: experiment, lifecycle: lifecycle,
                                      options: .init(reportDirectory: dir + "/report",
                                                     progress: ProgressReporter(isTerminal: false, logInterval: 1000, write: { _ in }),
                                                     log: { _ in }))
        return try runner.run()
    }

    private func flags() throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: controlPath) else { return [:] }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return object?["flags"] as? [String: Any] ?? [:]
    }

    func testRecoveryTimeMatchesTheTrueRecoveryWithinOneInterval() throws {
        service = try FlaggedTestService(controlPath: controlPath, recoveryDelay: 0.8)
        let file = try write("""
        title: recovery timing
        steady_state:
          interval: 50ms
          before: 500ms
          after: 2s
          healthy_after: 3
          probes:
            - name: svc
              http: {url: "\(service.url)", status: 200, timeout: 1s}
        slo:
          - recover_within: 1500ms
        method:
          - name: break it
            flag: {name: broken}
            duration: 700ms
        """)
        let result = try run(file)
        XCTAssertEqual(result.outcome, .passed, result.report.analysis.verdicts.map { "\($0.passed) \($0.objective) \($0.detail)" }.joined(separator: "\n"))
        let recovery = try XCTUnwrap(result.report.analysis.recoveries.first)
        let measured = try XCTUnwrap(recovery.recoverySeconds)
        // True recovery: the service stays broken 0.8 s after it last saw the flag fire.
        // The fault end mark comes at most a few ms before the reader sees the revert, so
        // the measurement must match 0.8 s within one probe interval (plus propagation).
        XCTAssertEqual(measured, 0.8, accuracy: 0.05 + 0.03, "measured \(measured)s")
        XCTAssertTrue(try flags().isEmpty, "the fault must be reverted")
        XCTAssertTrue(FaultJournal(directory: dir + "/state").records().records.isEmpty)
        for name in ReportWriter.files { XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/report/" + name), name) }
    }

    func testStopConditionAbortsAndRollsBackAtOnce() throws {
        service = try FlaggedTestService(controlPath: controlPath, recoveryDelay: 0)
        let marker = dir + "/rolled-back"
        let file = try write("""
        title: stop condition
        steady_state:
          interval: 50ms
          before: 300ms
          after: 300ms
          probes:
            - http: {url: "\(service.url)", status: 200}
        method:
          - flag: {name: broken}
            duration: 20s
        rollbacks:
          - command: touch \(marker)
        stop_conditions:
          - max_error_rate: 50%
            window: 500ms
        """)
        let started = Date()
        let result = try run(file)
        let elapsed = Date().timeIntervalSince(started)
        guard case .aborted(let why) = result.outcome else { return XCTFail("expected abort, got \(result.outcome)") }
        XCTAssertTrue(why.contains("stop condition"), why)
        XCTAssertLessThan(elapsed, 10, "the 20 s fault must be cut short")
        XCTAssertTrue(try flags().isEmpty)
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "rollbacks always run")
        XCTAssertEqual(result.outcome.exitCode, .aborted)
        // The abort cut `post` short (a tick landing in that instant is rare, and then its
        // sample decides): what needed post samples is "not measured", with the reason.
        if (result.report.analysis.phase("post")?.count ?? 0) == 0 {
            let after = try XCTUnwrap(result.report.analysis.verdicts.first { $0.objective == "steady_state_after" })
            XCTAssertTrue(after.detail.hasPrefix("not measured") && after.detail.contains("the run was aborted: stop condition"), after.detail)
            XCTAssertFalse(after.passed)
            let recovery = try XCTUnwrap(result.report.analysis.recoveries.first)
            XCTAssertTrue(recovery.summary.hasPrefix("not measured"), recovery.summary)
        }
        let markdown = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("**Result: ABORTED** (stop condition"), markdown)
    }

    func testNothingIsInjectedWhenTheSteadyStateDoesNotHold() throws {
        let file = try write("""
        steady_state:
          interval: 50ms
          before: 300ms
          after: 100ms
          probes:
            - tcp: 127.0.0.1:1
        method:
          - flag: {name: never}
            duration: 1s
        """)
        let result = try run(file)
        guard case .aborted(let why) = result.outcome else { return XCTFail("\(result.outcome)") }
        XCTAssertTrue(why.contains("steady state"), why)
        XCTAssertFalse(FileManager.default.fileExists(atPath: controlPath), "no flag may be written")
    }

    /// A rollback that fails leaves the system as the run made it: the run cannot pass.
    func testFailedRollbackFailsTheRun() throws {
        let file = try write("""
        steady_state:
          interval: 50ms
          before: 200ms
          after: 300ms
          healthy_after: 1
          probes:
            - name: fine
              command: "true"
        method:
          - wait: 100ms
        rollbacks:
          - name: undo
            command: "exit 3"
        """)
        let result = try run(file)
        XCTAssertEqual(result.outcome, .sloMissed)
        XCTAssertEqual(result.outcome.exitCode, .failure)
        XCTAssertFalse(result.report.passed)
        let markdown = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("**Result: FAILED** (1 of 1 check(s) failed: step 'undo')"), markdown)
        let junit = try String(contentsOfFile: dir + "/report/junit.xml", encoding: .utf8)
        XCTAssertFalse(junit.contains("errors=\"0\"") && junit.contains("failures=\"0\""), junit)
    }

    /// A load command that chaosctl stopped has no exit code: the report must not invent one.
    func testLoadStoppedByTheRunnerIsNotReportedAsExitCodeZero() throws {
        let file = try write("""
        steady_state:
          interval: 50ms
          before: 200ms
          after: 200ms
          healthy_after: 1
          probes:
            - name: fine
              command: "true"
        load: sleep 8
        method:
          - wait: 100ms
        """)
        let result = try run(file)
        let load = try XCTUnwrap(result.report.load)
        XCTAssertNil(load.exitCode, "chaosctl stopped it: there is no exit code")
        XCTAssertTrue(load.succeeded, "it had not failed until it was stopped")
        let markdown = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("stopped by chaosctl at the end of the run"), markdown)
        XCTAssertFalse(markdown.contains("exit code 0"), markdown)
    }

    /// No sample before the faults is no evidence that the steady state failed: the abort says
    /// it could not be checked, and nothing is injected.
    func testNoSampleBeforeTheFaultsIsNotCalledUnsteady() throws {
        let file = try write("""
        steady_state:
          interval: 5s
          before: 300ms
          after: 100ms
          probes:
            - name: slow
              command: {run: "sleep 2", timeout: 5s}
        method:
          - flag: {name: never}
            duration: 1s
        """)
        let result = try run(file)
        guard case .aborted(let why) = result.outcome else { return XCTFail("\(result.outcome)") }
        XCTAssertTrue(why.contains("could not be checked"), why)
        XCTAssertFalse(why.contains("did not hold"), why)
        XCTAssertFalse(FileManager.default.fileExists(atPath: controlPath), "no flag may be written")
    }

    func testSLOMissIsReportedWithTheMeasuredValue() throws {
        service = try FlaggedTestService(controlPath: controlPath, recoveryDelay: 0)
        let file = try write("""
        steady_state:
          interval: 50ms
          before: 300ms
          after: 300ms
          probes:
            - http: {url: "\(service.url)"}
        slo:
          max_error_rate: 1%
          phases: [during]
        method:
          - flag: {name: broken, percent: 100}
            duration: 600ms
        """)
        let result = try run(file)
        XCTAssertEqual(result.outcome, .sloMissed)
        let verdict = try XCTUnwrap(result.report.analysis.verdicts.first { $0.objective == "max_error_rate" })
        XCTAssertFalse(verdict.passed)
        XCTAssertGreaterThan(try XCTUnwrap(verdict.measured), 0.5)
        let junit = try String(contentsOfFile: dir + "/report/junit.xml", encoding: .utf8)
        XCTAssertTrue(junit.contains("<failure"), junit)
    }

    func testValidationReportsEveryProblemWithLineAndField() throws {
        let file = try write("""
        title: broken
        steady_state:
          interval: fast
          probes:
            - tcp: nowhere
        slo:
          max_error_rate: 150%
        method:
          - flag: {name: x, percent: 300}
          - teleport: {to: mars}
        stop_conditions:
          - window: 1s
        """)
        XCTAssertThrowsError(try ExperimentParser.load(file: file, context: ExperimentContext(controlPath: controlPath))) { error in
            let text = String(describing: error)
            for needle in ["\(file):3: steady_state.interval: 'fast'", "\(file):5: steady_state.probes.[0].tcp: 'nowhere'",
                           "slo.max_error_rate: '150%'", "method.[0].flag.percent: '300'", ":10: method.[1]",
                           "stop_conditions.[0]"] {
                XCTAssertTrue(text.contains(needle), "missing '\(needle)' in:\n\(text)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: controlPath))
    }
}
