import ChaosTestSupport
import Foundation
import XCTest

/// What chaosctl prints: lines as they happen through a pipe, one time format, one line per
/// flag, each word once, and something to read when there is nothing to list.
final class CommandOutputTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!
    private var started: [Process] = []

    override func tearDown() {
        for p in started where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        started = []
        temp = nil
    }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
    }

    /// `proxy serve` on a free loopback port; its stdout and stderr are pipes.
    private func serve(_ extra: [String] = []) throws -> (process: Process, api: String, out: PipeLineReader, err: PipeLineReader) {
        let run = try PipedChaosctl(cli, ["proxy", "serve", "--port", "0"] + extra)
        let p = run.process, stdout = run.stdout, stderr = run.stderr
        started.append(p)
        // Line-buffered stdout: the line arrives while the server runs, not at its exit.
        let line = try XCTUnwrap(stdout.line(containing: "proxy API on", timeout: 20),
                                 "no listening line through the pipe while serving; stderr: \(stderr.all)")
        let url = try XCTUnwrap(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init), line)
        return (p, url, stdout, stderr)
    }

    private func stop(_ p: Process) {
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
    }

    func testProxyServePrintsItsListeningLineThroughAPipeAtOnce() throws {
        let server = try serve()
        XCTAssertTrue(server.process.isRunning, "the line came only because the server exited")
        XCTAssertTrue(server.api.hasPrefix("http://127.0.0.1:"), server.api)
        XCTAssertFalse(server.err.all.contains("warning"), "loopback needs no token: \(server.err.all)")
        stop(server.process)
        XCTAssertEqual(server.process.terminationStatus, 0, "SIGTERM is its normal stop")
    }

    func testProxyServeOnAllInterfacesWithoutATokenWarns() throws {
        let open = try serve(["--host", "0.0.0.0"])
        XCTAssertNotNil(open.err.line(containing: "warning", timeout: 5), open.err.all)
        XCTAssertTrue(open.err.all.contains("--token"), open.err.all)
        stop(open.process)
        let guarded = try serve(["--host", "0.0.0.0", "--token", "s3cret"])
        stop(guarded.process)
        XCTAssertFalse(guarded.err.all.contains("warning"), guarded.err.all)
    }

    func testProxyListWithNothingSaysSoAndToxicsTakeUnits() throws {
        let server = try serve()
        defer { stop(server.process) }
        let empty = try cli.run(["proxy", "list", "--host", server.api])
        XCTAssertEqual(empty.status, 0, empty.stderr)
        XCTAssertEqual(empty.stdout, "", "stdout stays toxiproxy-cli's for scripts")
        XCTAssertTrue(empty.stderr.contains("no proxies"), empty.stderr)

        XCTAssertEqual(try cli.run(["proxy", "create", "db", "-l", "127.0.0.1:0", "-u", "127.0.0.1:1", "--host", server.api]).status, 0)
        let added = try cli.run(["toxic", "add", "-t", "latency", "-a", "latency=1.5s", "-a", "jitter=20", "--toxicity", "0.5", "db", "--host", server.api])
        XCTAssertEqual(added.status, 0, added.stderr)
        let inspect = try cli.run(["proxy", "inspect", "db", "--host", server.api])
        XCTAssertTrue(inspect.stdout.contains("latency=1500"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("jitter=20"), inspect.stdout)
        XCTAssertTrue(inspect.stdout.contains("toxicity=0.50"), inspect.stdout)
        // update checks names against the toxic's type, which it asks the server for.
        let typo = try cli.run(["toxic", "update", "-n", "latency_downstream", "-a", "jiter=5", "db", "--host", server.api])
        XCTAssertEqual(typo.status, 2, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("did you mean 'jitter'?"), typo.stderr)
        XCTAssertEqual(try cli.run(["toxic", "update", "-n", "latency_downstream", "-a", "jitter=5ms", "db", "--host", server.api]).status, 0)
        XCTAssertTrue(try cli.run(["proxy", "inspect", "db", "--host", server.api]).stdout.contains("jitter=5\t"))
        XCTAssertEqual(try cli.run(["recover", "--all"]).status, 0)
    }

    func testFlagWatchPrintsTheExpiry() throws {
        let out = Pipe()
        let watch = try cli.start(["flag", "watch", "--duration", "8s"], stdout: out.fileHandleForWriting)
        started.append(watch)
        try? out.fileHandleForWriting.close()
        let lines = PipeLineReader(out)
        XCTAssertNotNil(lines.line(containing: "0 flag(s)", timeout: 20), lines.all)
        XCTAssertEqual(try cli.run(["flag", "enable", "slow-db", "--latency-ms", "5", "--for", "2s"]).status, 0)
        let expired = try XCTUnwrap(lines.line(containing: "x slow-db expired at", timeout: 20), lines.all)
        XCTAssertTrue(lines.all.contains("+ slow-db on"), lines.all)
        // One format for every time: RFC 3339, UTC, milliseconds.
        let stamps = expired.matches(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/#)
        XCTAssertEqual(stamps.count, 2, expired)
        kill(watch.processIdentifier, SIGTERM)
        watch.waitUntilExit()
    }

    func testStatusAndRecoverSayEachFlagOnceOnItsOwnLine() throws {
        let profile = temp.path + "/two.yaml"
        try """
        description: two flags
        flags:
          slow-db: {latency_ms: 100}
          fail-auth: {mode: fail}
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli.run(["profile", "apply", profile]).status, 0)
        let status = try cli.run(["status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        let rows = status.stdout.split(separator: "\n").filter { $0.contains(cli.controlPath) }
        XCTAssertEqual(rows.count, 2, status.stdout)
        XCTAssertEqual(rows.filter { $0.contains("slow-db in") }.count, 1, status.stdout)
        XCTAssertEqual(rows.filter { $0.contains("fail-auth in") }.count, 1, status.stdout)
        XCTAssertNil(status.stdout.firstMatch(of: #/flag\s+flag/#), status.stdout)

        let json = try cli.run(["status", "--json"])
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let fault = try XCTUnwrap((report["faults"] as? [[String: Any]])?.first)
        let created = try XCTUnwrap(fault["created_at"] as? String)
        XCTAssertNotNil(created.wholeMatch(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/#), created)

        let recover = try cli.run(["recover", "--all"])
        XCTAssertEqual(recover.status, 0, recover.stderr)
        XCTAssertTrue(recover.stdout.contains("flag slow-db, fail-auth in"), recover.stdout)
        XCTAssertNil(recover.stdout.firstMatch(of: #/flags?\s+flags?\s/#), recover.stdout)
        let events = try cli.run(["status"]).stdout
        XCTAssertNil(events.firstMatch(of: #/flags?\s+flags?\s/#), events)
    }

    func testRunAndValidateTakeTheExperimentAsDashFAndTheControlFileAsAnOption() throws {
        let experiment = temp.path + "/exp.yaml"
        try """
        steady_state:
          probes:
            - command: "true"
        method:
          - flag: {name: slow-db, latency_ms: 10}
            duration: 1s
        """.write(toFile: experiment, atomically: true, encoding: .utf8)
        let validate = try cli.run(["validate", "-f", experiment])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        XCTAssertTrue(validate.stdout.contains("valid"), validate.stdout)
        let plan = try cli.run(["run", "-f", experiment, "--control-file", temp.path + "/other.json", "--dry-run"])
        XCTAssertEqual(plan.status, 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("other.json"), "the plan should name the control file given: \(plan.stdout)")
        let enable = try cli.run(["flag", "enable", "slow-db", "--control-file", temp.path + "/other.json"])
        XCTAssertEqual(enable.status, 0, enable.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: temp.path + "/other.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath))
        XCTAssertEqual(try cli.run(["run", "-f", experiment, experiment, "--dry-run"]).status, 2)
    }
}
