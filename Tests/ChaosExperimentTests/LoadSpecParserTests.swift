import ChaosConfig
@testable import ChaosExperiment
import ChaosLoad
import Foundation
import XCTest

/// The experiment file's load side: `load.results`, `load.recovery`, `source: load` SLOs and
/// stop conditions, the shipped examples, and how a command is recognised and rewritten.
final class LoadSpecParserTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    private func parse(_ yaml: String, file: String = "/srv/exp/e.yaml") throws -> Experiment {
        try ExperimentParser.parse(text: yaml, file: file, context: ExperimentContext(controlPath: "/tmp/unused.json"), environment: [:])
    }

    private let base = """
    steady_state:
      probes: [{name: p, command: {run: "true"}}]
    method:
      - name: slow
        flag: {name: slow-db, percent: 50, latency_ms: 10}
        duration: 1s

    """

    func testTheShippedExamplesParseWithTheirLoadSLOs() throws {
        let context = ExperimentContext(controlPath: "/tmp/unused.json", httpTransport: CurlProbeTransport())
        let k6 = try ExperimentParser.load(file: repository + "/experiments/soak-k6.yaml", context: context, environment: [:])
        XCTAssertEqual(k6.loadObjectives.count, 3)
        XCTAssertEqual(k6.loadObjectives[1], LoadObjective(p95Milliseconds: 500, phases: ["during"]))
        XCTAssertEqual(k6.stopConditions.map(\.onLoad), [true])
        XCTAssertTrue(k6.load?.command.hasPrefix("k6 run") == true)
        let locust = try ExperimentParser.load(file: repository + "/experiments/soak-locust.yaml", context: context, environment: [:])
        XCTAssertEqual(locust.loadObjectives.last?.recoverWithin, 10)
        XCTAssertEqual(locust.load?.recoveryWindowSeconds, 3)
        XCTAssertEqual(locust.load?.recoveryWindows, 2)
    }

    func testJSONLResultsMappingAndPathBesideTheFile() throws {
        let e = try parse(base + """
        load:
          command: ./runner.sh
          results: {file: out/requests.jsonl, timestamp: at, timestamp_unit: ms, latency: timing.total, latency_unit: us, status: code, name: route}
        slo:
          - {source: load, max_error_rate: 2%, phases: [pre, slow], name: "GET /"}
        """)
        let results = try XCTUnwrap(e.load?.results)
        XCTAssertEqual(results.path, "/srv/exp/out/requests.jsonl")
        XCTAssertEqual(results.mapping, JSONLFieldMapping(timestamp: "at", timestampUnit: .milliseconds, latency: "timing.total",
                                                          latencyUnit: .microseconds, verdict: .status(field: "code"), name: "route"))
        XCTAssertEqual(e.loadObjectives, [LoadObjective(maxErrorRate: 0.02, phases: ["pre", "slow"], requestName: "GET /")])
    }

    func testBadLoadEntriesAreRefusedNamingFieldAndValue() {
        let cases: [(String, String)] = [
            ("load: k6 run s.js\nslo:\n  - {source: load, max_error_rate: 1%, phases: [durnig]}\n", "durnig"),
            ("load:\n  command: r\n  results: {file: f, timestamp: t, latency: l}\n", "success"),
            ("slo:\n  - {source: load, p95_ms: 100}\n", "needs a 'load' command"),
            ("load: k6 run s.js\nslo:\n  - {source: load, phases: [pre]}\n", "needs max_error_rate"),
            ("load: k6 run s.js\nstop_conditions:\n  - {source: load, p95_ms: 100, window: 5s}\n", "error rate only"),
            ("load: k6 run s.js\nslo:\n  - {source: load, recover_within: 5s, phases: [post]}\n", "recover_within"),
        ]
        for (yaml, expected) in cases {
            XCTAssertThrowsError(try parse(base + yaml), yaml) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
                XCTAssertTrue("\(error)".contains("/srv/exp/e.yaml"), "\(error)")
            }
        }
    }

    func testShellWordsSplitAndJoinRoundTrip() {
        XCTAssertEqual(ShellWords.split("k6 run --vus 10 'my script.js' \"-e\" A=b"), ["k6", "run", "--vus", "10", "my script.js", "-e", "A=b"])
        for piped in ["k6 run s.js | tee x", "k6 run $S", "k6 run s.js; echo", "a > b", "k6 run 'open"] {
            XCTAssertNil(ShellWords.split(piped), piped)
        }
        let words = ["k6", "run", "my script.js", "it's", "--out", "json=/r/k6.json"]
        XCTAssertEqual(ShellWords.split(ShellWords.join(words)), nil, "a quote inside a word is joined with a backslash, which split refuses")
        XCTAssertEqual(ShellWords.join(words), #"k6 run 'my script.js' 'it'\''s' --out json=/r/k6.json"#)
    }

    func testATrackerAddsK6OutputsAndLeavesAPipedCommandAlone() {
        let k6 = LoadTracker(spec: LoadSpec(command: "k6 run --quiet soak.js"), reportDirectory: "/r", searchPath: "")
        XCTAssertEqual(k6.command, "exec k6 run --out json=/r/k6-results.json --summary-export /r/k6-summary.json --quiet soak.js")
        XCTAssertEqual(k6.tool, .k6)
        XCTAssertEqual(k6.signalExitCodes, [99])
        let own = LoadTracker(spec: LoadSpec(command: "k6 run --out json=mine.json --summary-export s.json x.js"), reportDirectory: "/r", searchPath: "")
        XCTAssertEqual(own.command, "exec k6 run --out json=mine.json --summary-export s.json x.js")
        // The generator runs in the experiment's folder: a relative report folder is made absolute.
        let relative = LoadTracker(spec: LoadSpec(command: "k6 run x.js"), reportDirectory: "results/run", searchPath: "")
        XCTAssertTrue(relative.command.contains("--out json=\(FileManager.default.currentDirectoryPath)/results/run/k6-results.json"),
                      relative.command)
        let piped = LoadTracker(spec: LoadSpec(command: "k6 run x.js | tee log"), reportDirectory: "/r", searchPath: "")
        XCTAssertEqual(piped.command, "k6 run x.js | tee log")
        XCTAssertNil(piped.tool)
        let verdicts = LoadVerdicts.judge([LoadObjective(maxErrorRate: 0.01, phases: ["pre"])], summary: nil, whyMissing: piped.notes.last)
        XCTAssertEqual(verdicts.count, 1)
        XCTAssertTrue(verdicts[0].notMeasured?.contains("not a plain") == true, "\(verdicts)")
    }

    /// `load.prefer`: the first command whose program is on PATH runs; none installed, the
    /// fallback runs and the note says its traffic is not measured by a generator.
    func testThePreferredGeneratorOnPATHRunsElseTheFallbackSaysSo() throws {
        let experiment = try parse(base + """
        load:
          prefer: [k6 run --quiet soak.js, locust -f locustfile.py --headless]
          command: sleep 5
        """)
        let spec = try XCTUnwrap(experiment.load)
        XCTAssertEqual(spec.preferred, ["k6 run --quiet soak.js", "locust -f locustfile.py --headless"])
        let bin = NSTemporaryDirectory() + "chaos-prefer-\(getpid())"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        FileManager.default.createFile(atPath: bin + "/locust", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        // A k6 that is not executable is not installed.
        FileManager.default.createFile(atPath: bin + "/k6", contents: Data(), attributes: [.posixPermissions: 0o644])

        let locust = LoadTracker(spec: spec, reportDirectory: "/r", searchPath: "/nonexistent:" + bin)
        XCTAssertEqual(locust.tool, .locust)
        XCTAssertTrue(locust.command.hasPrefix("exec locust -f locustfile.py --headless --csv /r/locust"), locust.command)
        XCTAssertTrue(locust.notes.contains { $0.hasPrefix("k6 is not installed (not on PATH)") }, "\(locust.notes)")

        let fallback = LoadTracker(spec: spec, reportDirectory: "/r", searchPath: "/nonexistent")
        XCTAssertEqual(fallback.command, "sleep 5")
        XCTAssertNil(fallback.tool)
        let verdicts = LoadVerdicts.judge([LoadObjective(maxErrorRate: 0.01, phases: ["pre"])], summary: nil, whyMissing: fallback.notes.last)
        XCTAssertTrue(verdicts[0].notMeasured?.contains("(k6, locust not on PATH)") == true, "\(verdicts)")
        XCTAssertTrue(verdicts[0].notMeasured?.contains("not measured by a load generator") == true, "\(verdicts)")
    }

    /// `load.results` are the fallback command's log: a preferred generator that runs is read
    /// as itself, and the fallback with `results` is read through them (not "not measured").
    func testResultsDescribeTheFallbackCommandOnly() throws {
        let experiment = try parse(base + """
        load:
          prefer: [locust -f locustfile.py --headless]
          command: sleep 5
          results: {file: /r/requests.jsonl, timestamp: ts, latency: ms, status: code}
        """)
        let spec = try XCTUnwrap(experiment.load)
        let bin = NSTemporaryDirectory() + "chaos-prefer-results-\(getpid())"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        FileManager.default.createFile(atPath: bin + "/locust", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])

        let preferred = LoadTracker(spec: spec, reportDirectory: "/r", searchPath: bin)
        XCTAssertEqual(preferred.tool, .locust)
        let fallback = LoadTracker(spec: spec, reportDirectory: "/r", searchPath: "/nonexistent")
        XCTAssertEqual(fallback.tool, .jsonl)
        XCTAssertEqual(fallback.command, "sleep 5")
        XCTAssertTrue(fallback.notes.contains { $0.hasSuffix("its own per-request log (load.results) is read instead") }, "\(fallback.notes)")
        XCTAssertFalse(fallback.notes.contains { $0.contains("not measured") }, "\(fallback.notes)")
    }

    func testAPreferredCommandMustBeAPlainCommandLine() {
        XCTAssertThrowsError(try parse(base + """
        load:
          prefer: ["k6 run x.js | tee log"]
          command: sleep 5
        """)) { error in
            XCTAssertTrue("\(error)".contains("load.prefer"), "\(error)")
            XCTAssertTrue("\(error)".contains("plain command line"), "\(error)")
        }
    }
}
