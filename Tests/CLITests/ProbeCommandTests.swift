import ChaosTestSupport
import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `chaosctl probe --report-dir` through the real binary against a real HTTP socket: the
/// reports must give the same verdict as the exit status, and JUnit must carry the check.
final class ProbeCommandTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!
    var server: ScriptedHTTPServer?

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
    }

    override func tearDown() {
        server?.stop()
        server = nil
        temp = nil
    }

    private func probe(healthy: @escaping @Sendable (Int) -> Bool) throws -> (Chaosctl.Result, String) {
        let server = try ScriptedHTTPServer(healthy: healthy)
        self.server = server
        let reports = temp.path + "/reports"
        let r = try cli.run(["probe", "http://127.0.0.1:\(server.port)/health", "--interval", "50ms", "--duration", "1500ms",
                             "--timeout", "1s", "--report-dir", reports], timeout: 60)
        XCTAssertGreaterThan(server.requests, 5, "the probe loop must have reached the server: \(r.stdout) \(r.stderr)")
        return (r, reports)
    }

    func testSeventyPercentOkExitsOneAndEveryReportSaysFailed() throws {
        // 7 of every 10 requests succeed, as in the issue.
        let (r, reports) = try probe { $0 % 10 < 7 }
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let markdown = try String(contentsOfFile: reports + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("**Result: FAILED"), markdown)
        XCTAssertFalse(markdown.contains("PASSED"), markdown)
        let html = try String(contentsOfFile: reports + "/report.html", encoding: .utf8)
        XCTAssertFalse(html.contains("PASSED"), "the HTML badge must not say PASSED")
        XCTAssertEqual(try jsonObject(atPath: reports + "/journal.json")["passed"] as? Bool, false)

        let junit = try JUnitCounts(file: reports + "/junit.xml")
        XCTAssertGreaterThanOrEqual(junit.testcases, 1, "a testcase per check, not tests=\"0\"")
        XCTAssertEqual(junit.failures, 1, "the every-sample-healthy check failed")
        XCTAssertEqual(junit.declaredFailures, 1)
        XCTAssertEqual(junit.declaredTests, junit.testcases)
        XCTAssertTrue(junit.failureMessages.first?.contains("failed") ?? false, "\(junit.failureMessages)")
    }

    func testAllHealthyExitsZeroAndJUnitHasOnePassingCase() throws {
        let (r, reports) = try probe { _ in true }
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let markdown = try String(contentsOfFile: reports + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("**Result: PASSED"), markdown)
        let junit = try JUnitCounts(file: reports + "/junit.xml")
        XCTAssertEqual(junit.testcases, 1)
        XCTAssertEqual(junit.failures + junit.errors, 0)
        XCTAssertEqual(try jsonObject(atPath: reports + "/journal.json")["passed"] as? Bool, true)
    }

    /// `probe --report-dir` writes the kinds of report `run` writes, into a folder of the same
    /// shape, and says where, as `run` does.
    func testReportDirGetsTheSameReportsAsRun() throws {
        let (probed, reports) = try probe { $0 % 4 != 3 }
        XCTAssertEqual(probed.status, 1, probed.stdout + probed.stderr)
        let runReports = temp.path + "/run-reports"
        let experiment = temp.path + "/exp.yaml"
        try """
        title: same server, through run
        steady_state:
          interval: 50ms
          before: 300ms
          after: 300ms
          probes:
            - http: {url: "http://127.0.0.1:\(server!.port)/health"}
        method:
          - wait: 200ms
        """.write(toFile: experiment, atomically: true, encoding: .utf8)
        let ran = try cli.run(["run", experiment, "--report-dir", runReports], timeout: 60)
        XCTAssertTrue(ran.stdout.contains("Reports: "), ran.stdout + ran.stderr)

        let written = { (dir: String) in Set((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []) }
        XCTAssertEqual(written(reports), ["journal.json", "report.md", "junit.xml", "report.html"])
        XCTAssertEqual(written(reports), written(runReports))
        let line = try XCTUnwrap(probed.stdout.split(separator: "\n").first { $0.hasPrefix("Reports: ") }, probed.stdout)
        XCTAssertEqual(Set(line.dropFirst("Reports: ".count).components(separatedBy: ", ").map { ($0 as NSString).lastPathComponent }),
                       written(reports))

        // The same content as run's: a journal in the same format, the timeline with its
        // failed lane and rate panel, and a check that states its value and limit.
        XCTAssertEqual(try jsonObject(atPath: reports + "/journal.json")["format"] as? String,
                       try jsonObject(atPath: runReports + "/journal.json")["format"] as? String)
        let html = try String(contentsOfFile: reports + "/report.html", encoding: .utf8)
        for mark in ["class=\"failure-lane\"", "class=\"rate-area\"", "class=\"sample fail\"", "class=\"legend-item\""] {
            XCTAssertTrue(html.contains(mark), "report.html lacks \(mark)")
        }
        let junit = try String(contentsOfFile: reports + "/junit.xml", encoding: .utf8)
        XCTAssertTrue(junit.contains("<property name=\"limit\" value=\"0\"/>"), junit)
        XCTAssertTrue(junit.contains("<property name=\"measured\" value=\"0."), junit)
    }

    /// A folder that cannot take the reports is refused before the watch starts, naming it.
    func testUnusableReportDirIsRefusedBeforeProbing() throws {
        let server = try ScriptedHTTPServer(healthy: { _ in true })
        self.server = server
        let r = try cli.run(["probe", "http://127.0.0.1:\(server.port)/health", "--interval", "50ms", "--duration", "30s",
                             "--report-dir", "/dev/null/reports"], timeout: 20)
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("/dev/null/reports"), r.stderr)
        XCTAssertEqual(server.requests, 0, "nothing may be probed for reports that cannot be written")
    }
}

/// Counts of a junit.xml, read with a real XML parser.
struct JUnitCounts {
    var testcases = 0
    var failures = 0
    var errors = 0
    var skipped = 0
    var declaredTests: Int?
    var declaredFailures: Int?
    var failureMessages: [String] = []
    var errorMessages: [String] = []
    /// Names of the testcases, in order.
    var names: [String] = []
}

extension JUnitCounts {
    init(file: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw NSError(domain: "junit", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(file) is not well-formed XML"])
        }
        self = delegate.counts
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var counts = JUnitCounts()
        override init() {}
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "testsuite":
                counts.declaredTests = attributes["tests"].flatMap { Int($0) }
                counts.declaredFailures = attributes["failures"].flatMap { Int($0) }
            case "testcase":
                counts.testcases += 1
                counts.names.append(attributes["name"] ?? "")
            case "failure":
                counts.failures += 1
                counts.failureMessages.append(attributes["message"] ?? "")
            case "error":
                counts.errors += 1
                counts.errorMessages.append(attributes["message"] ?? "")
            case "skipped": counts.skipped += 1
            default: break
            }
        }
    }
}
