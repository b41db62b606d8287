import ChaosTestSupport
import Foundation
import XCTest

/// Every bad input exits 2 (docs/cli.md), including what ArgumentParser itself refuses
/// (it would exit 64), and failures land in the category scripts test for.
final class ExitCodeTests: OfflineCLITestCase {
    private func expect(_ args: [String], status: Int32, mentions needles: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try cli.run(args)
        XCTAssertEqual(r.status, status, "\(args): \(r.stderr)", file: file, line: line)
        for needle in needles {
            XCTAssertTrue(r.stderr.contains(needle), "\(args): '\(needle)' not in stderr: \(r.stderr)", file: file, line: line)
        }
        XCTAssertFalse(r.stderr.contains("NSCocoaErrorDomain"), "\(args): raw error dump: \(r.stderr)", file: file, line: line)
    }

    func testArgumentParserRefusalsExitTwo() throws {
        try expect(["flag", "enable", "x", "--percent", "abc"], status: 2, mentions: ["--percent", "abc"])
        try expect(["flag", "enable", "x", "--max-hits", "many"], status: 2, mentions: ["--max-hits"])
        try expect(["flag", "disable"], status: 2, mentions: ["--all"])
        try expect(["no-such-command"], status: 2, mentions: ["no-such-command"])
        try expect(["probe", "--tcp", "127.0.0.1:1", "--timer"], status: 2, mentions: ["--timer"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath))
    }

    func testNegativeNumberIsReadAsAValueAndRefusedAsOutOfRange() throws {
        let r = try cli.run(["flag", "enable", "x", "--percent", "-1"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("-1 is out of range 0-100"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Missing value"), r.stderr)
        let events = try cli.run(["status", "--events", "-1"])
        XCTAssertEqual(events.status, 2, events.stderr)
        XCTAssertTrue(events.stderr.contains("--events -1"), events.stderr)
    }

    func testHelpAndVersionStayZero() throws {
        let help = try cli.run(["flag", "enable", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: chaosctl flag enable"), help.stdout)
        let flagVersion = try cli.run(["--version"])
        let version = try cli.run(["version"])
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertEqual(flagVersion.status, 0)
        XCTAssertFalse(version.stdout.isEmpty)
        XCTAssertEqual(version.stdout, flagVersion.stdout)
    }

    func testToxicAttributeThatIsNotANumberIsUsageNamingTheField() throws {
        // It used to be sent nowhere and reported as "unreachable" (4).
        try expect(["toxic", "add", "-t", "latency", "-a", "latency=abc", "db"], status: 2, mentions: ["latency=abc", "milliseconds"])
        try expect(["toxic", "add", "-t", "bandwidth", "-a", "rate=1.5s", "db"], status: 2, mentions: ["rate=1.5s", "whole number"])
    }

    func testProxyServeOnAnUnresolvableHostIsUsage() throws {
        try expect(["proxy", "serve", "--host", "nosuch.invalid", "--port", "0"], status: 2, mentions: ["nosuch.invalid"])
    }

    func testReportDirectoryThatCannotBeCreatedIsRefusedBeforeTheRun() throws {
        let experiment = temp.path + "/exp.yaml"
        try """
        steady_state:
          interval: 50ms
          before: 100ms
          after: 100ms
          probes:
            - command: "true"
        method:
          - flag: {name: slow-db, latency_ms: 10}
            duration: 100ms
        """.write(toFile: experiment, atomically: true, encoding: .utf8)
        let run = try cli.run(["run", "-f", experiment, "--report-dir", "/dev/null/x"])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("--report-dir: results folder '/dev/null/x'"), run.stderr)
        XCTAssertFalse(run.stderr.contains("NSCocoaErrorDomain"), run.stderr)
        // Refused before anything ran: no seed line, no flag written, nothing journaled.
        XCTAssertFalse(run.stdout.contains("seed"), run.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath))
        try expect(["probe", "--tcp", "127.0.0.1:1", "--duration", "100ms", "--report-dir", "/dev/null/x"],
                   status: 2, mentions: ["--report-dir: results folder '/dev/null/x'"])
    }
}
