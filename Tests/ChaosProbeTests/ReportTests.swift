import XCTest
import ChaosCore
@testable import ChaosProbe
@testable import ChaosReport
#if canImport(FoundationXML)
import FoundationXML
#endif

final class ReportTests: XCTestCase {
    private func sampleReport() -> RunReport {
        var s = SyntheticRun()
        s.add([true, true, true, true, true], latencyMs: 12)
        s.addFault("latency <200ms> & loss", [true, false, false, true, true], latencyMs: 180)
        s.add([false, true, true, true, true, true], latencyMs: 14)
        let run = s.run
        let analysis = RunAnalysis(run, objectives: [
            ServiceLevelObjectives(maxErrorRate: 0.01, p95Milliseconds: 100, recoverWithin: 5, phases: ["pre", "post"]),
        ])
        return RunReport(title: "API survives \"latency\" & <loss>",
                         steps: [RunStep(name: "apply netem", startNanoseconds: 500_000_000, endNanoseconds: 1_000_000_000, succeeded: true),
                                 RunStep(name: "rollback", startNanoseconds: 1_000_000_000, endNanoseconds: 1_010_000_000, succeeded: false, detail: "qdisc gone")],
                         run: run, analysis: analysis,
                         load: LoadOutcome(command: "k6 run load.js", exitCode: 0, durationSeconds: 1.6, summary: "http_reqs 1000"))
    }

    private func temporaryFolder() -> String {
        NSTemporaryDirectory() + "chaos-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    func testWritesAllFilesAndJournalRoundTrips() throws {
        let report = sampleReport()
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let paths = try ReportWriter.write(report, to: folder)
        XCTAssertEqual(paths.map { ($0 as NSString).lastPathComponent }, ["journal.json", "report.md", "junit.xml", "report.html"])

        let decoded = try JournalWriter.decode(Data(contentsOf: URL(fileURLWithPath: folder + "/journal.json")))
        XCTAssertEqual(decoded.run.samples.count, 16)
        XCTAssertEqual(decoded.steps, report.steps)
        XCTAssertEqual(decoded.analysis.verdicts, report.analysis.verdicts)
        XCTAssertEqual(decoded.run.events.map(\.kind), report.run.events.map(\.kind))
        // The post phase failed its error-rate SLO (1 failure in 6), so the run failed.
        XCTAssertFalse(decoded.passed)
        let top = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/journal.json"))) as? [String: Any]
        XCTAssertEqual(top?["format"] as? String, "chaosctl-journal/1")
        XCTAssertEqual(top?["passed"] as? Bool, false)
    }

    func testAFolderBehindAFileIsRefusedNamingWhatIsInTheWay() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/plain"))
        XCTAssertThrowsError(try ReportWriter.write(sampleReport(), to: folder + "/plain/reports")) { error in
            let failure = error as? ChaosError
            XCTAssertEqual(failure?.exitCode, .usage)
            XCTAssertEqual(failure?.message, "--report-dir: results folder '\(folder)/plain/reports': cannot create directory \(folder)/plain: a file is in the way")
        }
        XCTAssertNoThrow(try ReportWriter.prepare(folder + "/new/deeper"))
    }

    func testJUnitIsWellFormedWithOneCasePerVerdict() throws {
        let report = sampleReport()
        let xml = JUnitReport.render(report)
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")\n\(xml)")
        // 5 verdicts (error rate and p95 for pre and post, recovery) + the load command + the failed step.
        XCTAssertEqual(counter.counts["testcase"], 7)
        let failed = report.analysis.verdicts.filter { !$0.passed }
        XCTAssertEqual(failed.map(\.name), ["max_error_rate[post]"])
        XCTAssertEqual(counter.counts["failure"], 2)
        XCTAssertTrue(counter.failureMessages.first?.hasPrefix("measured 16.67%, limit 1.00%") ?? false, "\(counter.failureMessages)")
        XCTAssertEqual(counter.failureMessages.last, "qdisc gone", "the failed rollback step")
    }

    func testHTMLIsSelfContainedWithOnePointPerSample() throws {
        let report = sampleReport()
        let html = HTMLReport.render(report)
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"))
        XCTAssertFalse(html.contains("https://"))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 1)
        XCTAssertEqual(html.components(separatedBy: "class=\"sample ").count - 1, report.run.samples.count)
        XCTAssertEqual(html.components(separatedBy: "class=\"sample fail\"").count - 1, report.run.samples.filter { !$0.ok }.count)
        // One fault, shaded on both panels.
        XCTAssertEqual(html.components(separatedBy: "class=\"fault-window\"").count - 1, 2)
        XCTAssertTrue(html.contains("API survives &quot;latency&quot; &amp; &lt;loss&gt;"))

        // The SVG alone is well-formed XML.
        let svgStart = try XCTUnwrap(html.range(of: "<svg"))
        let svgEnd = try XCTUnwrap(html.range(of: "</svg>"))
        let svg = String(html[svgStart.lowerBound..<svgEnd.upperBound])
        let counter = ElementCounter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        // A dot per healthy sample, plus the legend's; failures are crosses in their own lane.
        XCTAssertEqual(counter.counts["circle"], report.run.samples.filter(\.ok).count + 1)
    }

    func testChartThinsSuccessesButKeepsFailures() {
        var s = SyntheticRun()
        s.add(Array(repeating: true, count: 300) + [false, false] + Array(repeating: true, count: 300))
        var chart = TimelineChart()
        chart.maxPoints = 100
        let svg = chart.render(RunReport(title: "thinned", run: s.run, analysis: RunAnalysis(s.run)))
        let drawn = svg.components(separatedBy: "class=\"sample ").count - 1
        XCTAssertLessThanOrEqual(drawn, 100)
        XCTAssertGreaterThan(drawn, 50)
        XCTAssertEqual(svg.components(separatedBy: "class=\"sample fail\"").count - 1, 2)
        XCTAssertTrue(svg.contains("of 602 samples drawn"))
    }

    func testMarkdownHasPhaseTableDeltasAndRecovery() {
        let md = MarkdownReport.render(sampleReport())
        XCTAssertTrue(md.contains("**Result: FAILED**"))
        XCTAssertTrue(md.contains("| pre | 5 | 100.00% | 12.0 ms |"), md)
        // during: 3/5 ok = 60 %, i.e. -40 percentage points against pre; p95 +168 ms.
        XCTAssertTrue(md.contains("| during | 5 | 60.00% |"), md)
        XCTAssertTrue(md.contains("| -40.00 pp | +168.0 ms |"), md)
        XCTAssertTrue(md.contains("recovered in 100ms"), md)
        XCTAssertTrue(md.contains("`k6 run load.js` — exit code 0"), md)
        XCTAssertTrue(md.contains("**failed**: qdisc gone"), md)
    }

    func testProgressReporterTerminalAndLogModes() {
        var tty: [String] = []
        let live = ProgressReporter(isTerminal: true) { tty.append($0) }
        let status = ProgressReporter.Status(phase: "during", elapsedSeconds: 12.34, successRate: 0.987, p95Milliseconds: 12.1, samples: 60)
        live.update(status)
        live.update(status)
        live.finish()
        XCTAssertEqual(tty.count, 3)
        XCTAssertTrue(tty[0].hasPrefix("\r\u{1B}[2Kduring"))
        XCTAssertTrue(tty[0].contains("ok 98.7%  p95 12.1ms"))
        XCTAssertEqual(tty[2], "\n")

        var log: [String] = []
        let plain = ProgressReporter(isTerminal: false, logInterval: 5) { log.append($0) }
        for t in stride(from: 0.0, through: 12, by: 1) {
            var s = status
            s.elapsedSeconds = t
            plain.update(s)
        }
        XCTAssertEqual(log.count, 3, "one line at 0, 5 and 10 s")
        XCTAssertTrue(log.allSatisfy { $0.hasPrefix("probe: ") && $0.hasSuffix("\n") && !$0.contains("\r") })
    }
}

/// Counts elements and collects failure messages while parsing.
final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var failureMessages: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
        if name == "failure", let message = attributes["message"] { failureMessages.append(message) }
    }
}
