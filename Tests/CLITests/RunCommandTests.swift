import ChaosTestSupport
import Foundation
import XCTest

final class RunCommandTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    // XCTest keeps test-case instances alive: drop the directory explicitly.
    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
    }

    private func experiment(faultFor duration: String, slo: String = "") throws -> String {
        let path = temp.path + "/exp.yaml"
        try """
        title: held flag
        \(slo)
        steady_state:
          interval: 100ms
          before: 300ms
          after: 300ms
          probes:
            - name: always-fine
              command: "true"
        method:
          - name: slow everything
            flag: {name: slow-db, percent: 50, latency_ms: 100}
            duration: \(duration)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func flagNames() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: cli.controlPath) else { return [] }
        return Set(((try jsonObject(atPath: cli.controlPath)["flags"] as? [String: Any]) ?? [:]).keys)
    }

    private func waitForFlag(timeout: TimeInterval = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try flagNames().contains("slow-db") { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTFail("the experiment never applied its flag")
    }

    func testDryRunPrintsThePlanAndTouchesNothing() throws {
        let file = try experiment(faultFor: "30s")
        let r = try cli.run(["run", "-f", file, "--dry-run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("slow everything"), r.stdout)
        XCTAssertTrue(r.stdout.contains("for 30s"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.stateDir))
    }

    func testSigintMidRunRevertsAndWritesTheReport() throws {
        let reports = temp.path + "/reports"
        let p = try cli.start(["run", "-f", try experiment(faultFor: "30s"), "--report-dir", reports])
        try waitForFlag()
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 3, "aborted")
        XCTAssertEqual(try flagNames(), [], "the flag must be reverted")
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: reports + "/journal.json"))
    }

    /// An aborted run has (next to) no samples after its rollback: the reports must say the
    /// post-run checks were not measured and why, never "not healthy" or "not recovered".
    func testAbortedRunSaysNotMeasuredInsteadOfAVerdict() throws {
        let reports = temp.path + "/reports"
        let file = try experiment(faultFor: "30s", slo: "slo: {recover_within: 5s}")
        let p = try cli.start(["run", "-f", file, "--report-dir", reports])
        try waitForFlag()
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 3, "aborted")

        let markdown = try String(contentsOfFile: reports + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("**Result: ABORTED"), markdown)
        XCTAssertFalse(markdown.contains("PASSED") || markdown.contains("Result: FAILED"), markdown)
        XCTAssertFalse(markdown.contains("not healthy at the end"), markdown)
        XCTAssertFalse(markdown.contains("not recovered"), markdown)
        XCTAssertTrue(markdown.contains("not measured"), markdown)
        XCTAssertTrue(markdown.contains("aborted: signal"), "the reason is given: \(markdown)")
        let html = try String(contentsOfFile: reports + "/report.html", encoding: .utf8)
        XCTAssertFalse(html.contains("not healthy at the end") || html.contains("not recovered"), html)
        XCTAssertTrue(html.contains("ABORTED"))

        // JUnit: nothing "failed" on no data; the unmeasured checks and the abort are errors.
        let junit = try JUnitCounts(file: reports + "/junit.xml")
        XCTAssertEqual(junit.failures, 0, "\(junit.failureMessages)")
        XCTAssertTrue(junit.names.contains("run"), "\(junit.names)")
        XCTAssertTrue(junit.errorMessages.contains { $0.contains("aborted: signal") }, "\(junit.errorMessages)")
        XCTAssertTrue(junit.errorMessages.contains { $0.hasPrefix("not measured") }, "\(junit.errorMessages)")

        let journal = try jsonObject(atPath: reports + "/journal.json")
        XCTAssertEqual(journal["passed"] as? Bool, false)
        let verdict = try XCTUnwrap(journal["verdict"] as? [String: Any], "\(journal.keys)")
        XCTAssertEqual(verdict["result"] as? String, "aborted")
    }

    func testSigkillMidRunThenRecoverLeavesNothingApplied() throws {
        let p = try cli.start(["run", "-f", try experiment(faultFor: "30s"), "--report-dir", temp.path + "/reports"])
        try waitForFlag()
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(try flagNames(), ["slow-db"], "SIGKILL leaves the fault in place")
        let r = try cli.run(["recover"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try flagNames(), [])
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    func testInvalidExperimentExitsTwoWithLocatedProblems() throws {
        let path = temp.path + "/bad.yaml"
        try "steady_state:\n  probes: []\nmethod:\n  - flag: {name: x, percent: 101}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try cli.run(["validate", path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("\(path):4: method.[0].flag.percent: '101'"), r.stderr)
    }

    /// Every shipped experiment validates. The drain example names its node through $NODE (no
    /// default, so it can never drain a node by accident). A stress step looks its container up
    /// when it runs, not when the file is validated (StressContainerTests runs that example
    /// against a real dockerd), so every file validates with no engine at $DOCKER_HOST.
    func testShippedExperimentsAllValidate() throws {
        let dir = "experiments"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 3)
        var withNode = cli!
        withNode.extraEnvironment["NODE"] = "worker-1"
        withNode.extraEnvironment["DOCKER_HOST"] = "unix://\(temp.path)/no-engine.sock"
        let r = try withNode.run(["validate"] + files.map { dir + "/" + $0 })
        for f in files { XCTAssertTrue(r.stdout.contains("\(dir)/\(f): valid"), r.stdout + r.stderr) }
        XCTAssertEqual(r.status, 0, r.stderr)
    }
}
