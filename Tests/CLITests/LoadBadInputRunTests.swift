import ChaosTestSupport
import Foundation
import XCTest

/// Issue #13 item 6 through `chaosctl run` (the real binary, a real experiment file): a
/// generator whose output is broken in one way — malformed and cut-short k6 lines among good
/// ones, a Locust CSV with a renamed or an extra column, a clock an hour ahead, an early
/// non-zero exit. Each run must say what went wrong in report.md and journal.json, and its
/// load checks are "not measured", never passed. The generator is ScriptedGenerator: every
/// request it reports succeeded, so only the defect can keep the load SLO from passing.
final class LoadBadInputRunTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!
    var bin = ""

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        let (status, _) = runProcess(["/usr/bin/env", "python3", "--version"])
        try requireFixture(status == 0, "python3 is not installed")
        bin = try ScriptedGenerator.install(in: temp.path)
    }

    override func tearDown() { temp = nil }

    private struct Run {
        var status: Int32
        var markdown: String
        var journal: [String: Any]
        var load: [String: Any]? { journal["load"] as? [String: Any] }
        var reports: String
        /// journal.json's load problems, "SOURCE: MESSAGE" (the source is the file and line).
        var problems: [String] {
            (load?["problems"] as? [[String: Any]] ?? []).map { problem in
                let line = (problem["line"] as? Int).map { ":\($0)" } ?? ""
                return "\(problem["source"] as? String ?? "?")\(line): \(problem["message"] as? String ?? "?")"
            }
        }
        var verdict: String? { (journal["verdict"] as? [String: Any])?["result"] as? String }
    }

    /// A run of about 6 s: 2 s before, a 2 s flag fault, 2 s after, with one load SLO on
    /// every phase.
    private func run(_ command: String, mode: String, phase: String = "2s") throws -> Run {
        let file = temp.path + "/exp.yaml"
        try """
        title: bad generator output
        steady_state:
          interval: 200ms
          before: \(phase)
          after: \(phase)
          probes:
            - name: always-fine
              command: "true"
        slo:
          - source: load
            max_error_rate: 1%
        load:
          command: \(bin)/\(command)
        method:
          - name: flagged
            flag: {name: bad-input-test, percent: 10}
            duration: \(phase)
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let reports = temp.path + "/reports-" + mode
        cli.extraEnvironment["SCRIPTED_GENERATOR_MODE"] = mode
        let r = try cli.run(["run", file, "--report-dir", reports], timeout: 90)
        let markdown = try String(contentsOfFile: reports + "/report.md", encoding: .utf8)
        return Run(status: r.status, markdown: markdown, journal: try jsonObject(atPath: reports + "/journal.json"), reports: reports)
    }

    /// Every `load.max_error_rate` row in report.md's verdict list is "not measured".
    private func assertLoadChecksNotMeasured(_ run: Run, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(run.status, 0, run.markdown, file: file, line: line)
        XCTAssertNotEqual(run.verdict, "passed", file: file, line: line)
        XCTAssertTrue(run.markdown.contains("not measured"), run.markdown, file: file, line: line)
        let phases = run.load?["phases"] as? [String: [String: Any]] ?? [:]
        for name in ["pre", "during", "post"] {
            XCTAssertNotNil(phases[name]?["not_measured"] as? String, "\(name): \(phases[name] ?? [:])", file: file, line: line)
        }
    }

    /// The control: the same generator and experiment without a defect pass, so what keeps
    /// the other runs from passing is the defect alone.
    func testTheScriptedGeneratorWithoutADefectPasses() throws {
        let run = try run("k6 run soak.js", mode: "good")
        XCTAssertEqual(run.status, 0, run.markdown)
        XCTAssertEqual(run.verdict, "passed")
        let pre = (run.load?["phases"] as? [String: [String: Any]])?["pre"]
        XCTAssertGreaterThan(pre?["requests"] as? Int ?? 0, 100, "\(pre ?? [:])")
    }

    func testMalformedAndCutShortK6LinesAreNamedAndNotMeasured() throws {
        let run = try run("k6 run soak.js", mode: "malformed")
        assertLoadChecksNotMeasured(run)
        let counts = run.load?["counts"] as? [String: Any]
        XCTAssertGreaterThan(counts?["requests"] as? Int ?? 0, 100, "the good lines are still read: \(counts ?? [:])")
        // Every malformed line and the cut-short last one (the generator was stopped mid-line)
        // are counted, read back from the file the generator wrote.
        let written = try String(contentsOfFile: run.reports + "/k6-results.json", encoding: .utf8)
        XCTAssertFalse(written.hasSuffix("\n"), "the last line was cut short")
        let malformed = written.components(separatedBy: "\n").filter { $0.hasSuffix(#""time":}"#) }.count
        XCTAssertGreaterThan(malformed, 1)
        XCTAssertEqual(counts?["unreadable_lines"] as? Int, malformed + 1, "\(counts ?? [:])")
        // The first malformed line follows ten batches of five points: line 51.
        XCTAssertTrue(run.problems.contains { $0.contains("k6-results.json:51: not k6 JSON output") }, "\(run.problems)")
        XCTAssertTrue(run.problems.contains { $0.contains("\(malformed + 1) unreadable lines in all") }, "\(run.problems)")
        XCTAssertTrue(run.markdown.contains("k6-results.json:51: not k6 JSON output"), run.markdown)
    }

    func testAK6ClockAnHourAheadIsAClockDisagreementNotMeasured() throws {
        let run = try run("k6 run soak.js", mode: "clock-ahead")
        assertLoadChecksNotMeasured(run)
        XCTAssertTrue(run.problems.contains { $0.contains("outside the load's span") }, "\(run.problems)")
        XCTAssertTrue(run.markdown.contains("outside the load's span"), run.markdown)
        // Nothing of the shifted traffic is counted in any phase.
        let pre = (run.load?["phases"] as? [String: [String: Any]])?["pre"]
        XCTAssertEqual(pre?["requests"] as? Int, 0, "\(pre ?? [:])")
    }

    func testAGeneratorThatExitsEarlyNonZeroIsNotMeasured() throws {
        let run = try run("k6 run soak.js", mode: "exit-early")
        assertLoadChecksNotMeasured(run)
        XCTAssertEqual((run.load?["exit"] as? [String: Any])?["exit_code"] as? Int, 3)
        XCTAssertTrue(run.problems.contains { $0.contains("k6 exited with code 3") }, "\(run.problems)")
        XCTAssertTrue(run.markdown.contains("k6 exited with code 3"), run.markdown)
    }

    /// A column renamed by a Locust version chaosctl does not know: the counts it needs are
    /// missing, so nothing is measured, and the message names both columns.
    func testALocustCSVWithARenamedColumnIsNotMeasured() throws {
        let run = try run("locust -f locustfile.py --headless", mode: "renamed-column", phase: "3s")
        assertLoadChecksNotMeasured(run)
        XCTAssertTrue(run.problems.contains { $0.contains("locust_stats_history.csv:1: not a Locust --csv-full-history stats history: column(s) 'Total Failure Count' missing") },
                      "\(run.problems)")
        XCTAssertTrue(run.markdown.contains("'Total Failure Count' missing"), run.markdown)
    }

    /// A column chaosctl does not know: the file is refused, naming the column, and every
    /// load check reads "not measured", never a pass.
    func testALocustCSVWithAnUnknownColumnIsNotMeasured() throws {
        let run = try run("locust -f locustfile.py --headless", mode: "extra-column", phase: "3s")
        assertLoadChecksNotMeasured(run)
        XCTAssertTrue(run.problems.contains { $0.contains("unknown column(s) 'Shiny New' in the header") }, "\(run.problems)")
        XCTAssertTrue(run.markdown.contains("'Shiny New'"), run.markdown)
    }
}
