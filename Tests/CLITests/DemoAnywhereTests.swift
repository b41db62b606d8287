import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl demo` needs only the binary: run from a directory without the repository, it
/// uses the experiment and profiles built into it; an experiments/demo.yaml where it runs
/// wins. Each run stays on loopback inside the one chaosctl process (plus its curl load).
final class DemoAnywhereTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        cli.workingDirectory = temp.path
    }

    /// The report directory the run wrote under the working directory, and its journal.
    private func journal() throws -> [String: Any] {
        let dir = try reportDirectory()
        for report in ["report.html", "report.md", "junit.xml"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/" + report), "missing \(report) in \(dir)")
        }
        return try jsonObject(atPath: dir + "/journal.json")
    }

    private func reportDirectory() throws -> String {
        let results = temp.path + "/results"
        let runs = try FileManager.default.contentsOfDirectory(atPath: results).filter { $0.hasSuffix("-demo") }
        XCTAssertEqual(runs.count, 1, "one report directory in \(results): \(runs)")
        return results + "/" + (runs.first ?? "")
    }

    /// The title and step names of a YAML experiment, read line by line (its own format).
    private func titleAndSteps(of file: String) throws -> (String, [String]) {
        let lines = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\n")
        let title = lines.first { $0.hasPrefix("title: ") }.map { String($0.dropFirst("title: ".count)) } ?? ""
        let method = lines.drop { $0 != "method:" }.dropFirst().prefix { $0.hasPrefix(" ") || $0.isEmpty }
        let steps = method.filter { $0.hasPrefix("  - name: ") }.map { String($0.dropFirst("  - name: ".count)) }
        return (title, steps)
    }

    /// About 20 s: the shipped demo, every step, from an empty directory.
    func testTheDemoRunsFromADirectoryWithoutTheRepository() throws {
        let r = try cli.run(["demo", "run"], timeout: 120)
        // 0 passed or 1 an SLO missed on a loaded machine: either way the built-in experiment
        // was found, parsed (its profile step included) and run to a verdict.
        XCTAssertTrue([0, 1].contains(r.status), "exit \(r.status): \(r.stdout)\n\(r.stderr)")
        XCTAssertTrue(r.stdout.contains("the built-in experiments/demo.yaml"), r.stdout)

        let journal = try journal()
        let report = try XCTUnwrap(journal["report"] as? [String: Any])
        let steps = try XCTUnwrap(report["steps"] as? [[String: Any]])
        let (title, names) = try titleAndSteps(of: packageRoot + "/" + "experiments/demo.yaml")
        XCTAssertEqual(report["title"] as? String, title)
        XCTAssertEqual(steps.compactMap { $0["name"] as? String }, names)
        XCTAssertFalse(names.isEmpty)
        for step in steps { XCTAssertEqual(step["succeeded"] as? Bool, true, "\(step)") }
    }

    /// With k6 on PATH the demo's users are k6: journal.json's load object is k6's, with
    /// requests in every phase, and the demo's `source: load` SLOs are judged on them.
    func testTheDemoDrivesK6WhenItIsInstalled() throws {
        let (found, _) = runProcess(["/usr/bin/env", "sh", "-c", "command -v k6"])
        try requireFixture(found == 0, "k6 is not installed (scripts/install-deps.sh)")
        let r = try cli.run(["demo", "run"], timeout: 120)
        XCTAssertTrue([0, 1].contains(r.status), "exit \(r.status): \(r.stdout)\n\(r.stderr)")
        let journal = try journal()
        let load = try XCTUnwrap(journal["load"] as? [String: Any], "\(journal.keys)")
        XCTAssertEqual(load["tool"] as? String, "k6")
        let phases = try XCTUnwrap(load["phases"] as? [String: [String: Any]])
        for phase in ["pre", "during", "post"] {
            XCTAssertGreaterThan(phases[phase]?["requests"] as? Int ?? 0, 0, "\(phase): \(phases[phase] ?? [:])")
        }
        let markdown = try String(contentsOfFile: reportDirectory() + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("User traffic by phase (k6"), markdown)
        XCTAssertTrue(markdown.contains("load.max_error_rate[pre]"), markdown)
    }

    /// Locust on PATH but not k6: the demo's users are Locust's, and the log says why.
    func testWithoutK6TheDemoFallsBackToLocust() throws {
        // The locust script beside the Python that imports it (pip's bin folder).
        let (found, output) = runProcess(["/usr/bin/env", "python3", "-c",
                                          "import locust, os, sys; print(os.path.join(os.path.dirname(sys.executable), 'locust'))"])
        let locust = output.trimmingCharacters(in: .whitespacesAndNewlines)
        try requireFixture(found == 0 && FileManager.default.isExecutableFile(atPath: locust), "Locust is not installed (scripts/install-deps.sh)")
        let bin = temp.path + "/only-locust"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin + "/locust", withDestinationPath: locust)
        cli.extraEnvironment["PATH"] = bin + ":/usr/sbin:/usr/bin:/sbin:/bin"
        let r = try cli.run(["demo", "run"], timeout: 120)
        XCTAssertTrue([0, 1].contains(r.status), "exit \(r.status): \(r.stdout)\n\(r.stderr)")
        let why = "k6 is not installed (not on PATH), so `locust -f locust/locustfile.py"
        XCTAssertTrue((r.stdout + r.stderr).contains(why), r.stdout + r.stderr)
        let markdown = try String(contentsOfFile: reportDirectory() + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains(why), markdown)
        let load = try XCTUnwrap(try journal()["load"] as? [String: Any])
        XCTAssertEqual(load["tool"] as? String, "locust")
        let phases = try XCTUnwrap(load["phases"] as? [String: [String: Any]])
        for phase in ["pre", "during", "post"] {
            XCTAssertGreaterThan(phases[phase]?["requests"] as? Int ?? 0, 0, "\(phase): \(phases[phase] ?? [:])")
        }
    }

    /// Neither k6 nor Locust on PATH: the curl loop runs, the log says so, and its own
    /// per-request log (one JSON line per curl call, in the report folder) is what the load
    /// SLOs are judged on, so the demo still proves something about its users' traffic.
    func testWithoutAGeneratorTheDemoJudgesTheCurlLoopsOwnLog() throws {
        cli.extraEnvironment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin"
        let r = try cli.run(["demo", "run"], timeout: 120)
        XCTAssertTrue([0, 1].contains(r.status), "exit \(r.status): \(r.stdout)\n\(r.stderr)")
        let why = "no preferred load generator is installed (k6, locust not on PATH): the fallback command ran"
            + " and its own per-request log (load.results) is read instead"
        XCTAssertTrue((r.stdout + r.stderr).contains(why), r.stdout + r.stderr)
        let load = try XCTUnwrap(try journal()["load"] as? [String: Any], "the curl loop's log was read")
        XCTAssertEqual(load["tool"] as? String, "jsonl")
        let phases = try XCTUnwrap(load["phases"] as? [String: [String: Any]])
        for phase in ["pre", "during", "post"] {
            XCTAssertGreaterThan(phases[phase]?["requests"] as? Int ?? 0, 0, "\(phase): \(phases[phase] ?? [:])")
        }
        // Every line the loop wrote is a request the report counts (none read as malformed).
        let log = try String(contentsOfFile: reportDirectory() + "/curl-requests.jsonl", encoding: .utf8)
        XCTAssertGreaterThan(log.split(separator: "\n").count, 0)
        let markdown = try String(contentsOfFile: reportDirectory() + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains(why), markdown)
        XCTAssertFalse(markdown.contains("not k6 JSON") || markdown.contains("unreadable"), markdown)
    }

    func testAnExperimentsDemoYamlWhereItRunsWins() throws {
        try FileManager.default.createDirectory(atPath: temp.path + "/experiments", withIntermediateDirectories: true)
        try """
        title: The user's own demo
        steady_state:
          interval: 100ms
          before: 300ms
          after: 300ms
          healthy_after: 1
          probes:
            - name: demo-api
              http: {url: "${CHAOSCTL_DEMO_URL}/", status: 200}
        method:
          - name: a short pause
            wait: 200ms
        """.write(toFile: temp.path + "/experiments/demo.yaml", atomically: true, encoding: .utf8)
        let r = try cli.run(["demo", "run"], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertFalse(r.stdout.contains("built-in"), r.stdout)
        let report = try XCTUnwrap(try journal()["report"] as? [String: Any])
        XCTAssertEqual(report["title"] as? String, "The user's own demo")
    }

    func testTheFlagsWalkThroughRunsFromADirectoryWithoutTheRepository() throws {
        let r = try cli.run(["demo", "flags", "--calls", "2000"], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        // Step 3 applies the mixed-soak profile; only its rate-limit-spike flag is soft.
        XCTAssertTrue(r.stdout.contains("profile apply fault-profiles/mixed-soak.yaml"), r.stdout)
        XCTAssertTrue(r.stdout.contains("severity soft"), r.stdout)
    }
}
