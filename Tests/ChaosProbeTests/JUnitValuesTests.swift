import XCTest
@testable import ChaosProbe
@testable import ChaosReport
#if canImport(FoundationXML)
import FoundationXML
#endif

/// junit.xml cases carry the measured value, the limit and when and for how long the judged
/// data ran; a check with no data says "not measured" and claims no time. The run starts at
/// 1_700_000_000 s = 2023-11-14T22:13:20 UTC, samples every 100 ms (SyntheticRun).
final class JUnitValuesTests: XCTestCase {
    /// pre: 5 healthy (0.0–0.4 s); during: fault over ticks 5–9, 2 failures; post: ticks
    /// 10–15, the first failed.
    private func report(objectives: [ServiceLevelObjectives]) -> RunReport {
        var s = SyntheticRun()
        s.add([true, true, true, true, true], latencyMs: 12)
        s.addFault("cut the link", [true, false, false, true, true], latencyMs: 180)
        s.add([false, true, true, true, true, true], latencyMs: 14)
        return RunReport(title: "values", run: s.run, analysis: RunAnalysis(s.run, objectives: objectives))
    }

    func testAMissedLimitGivesValueLimitUnitAndTheDataItJudged() throws {
        let junit = try JUnitCases(JUnitReport.render(report(objectives: [.init(maxErrorRate: 0.01, phases: ["post"])])))
        let post = try XCTUnwrap(junit.cases["max_error_rate[post]"])
        XCTAssertEqual(post.properties["measured"].flatMap(Double.init) ?? .nan, 1.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(post.properties["limit"], "0.01")
        XCTAssertEqual(post.properties["unit"], "ratio")
        XCTAssertEqual(post.properties["phase"], "post")
        XCTAssertTrue(post.failure?.hasPrefix("measured 16.67%, limit 1.00%") ?? false, "\(post.failure ?? "no failure")")
        XCTAssertTrue(post.systemOut.hasPrefix("measured 16.67%, limit 1.00%"), post.systemOut)
        // post's samples start 1.0 s into the run and cover 6 intervals.
        XCTAssertEqual(post.attributes["timestamp"], "2023-11-14T22:13:21")
        XCTAssertEqual(post.attributes["time"], "0.600")
        XCTAssertEqual(junit.suite["timestamp"], "2023-11-14T22:13:20")
    }

    func testAPassedLimitStillStatesWhatWasMeasured() throws {
        let junit = try JUnitCases(JUnitReport.render(report(objectives: [.init(p95Milliseconds: 50, phases: ["pre"])])))
        let pre = try XCTUnwrap(junit.cases["p95_ms[pre]"])
        XCTAssertNil(pre.failure)
        XCTAssertNil(pre.error)
        XCTAssertEqual(pre.properties["measured"].flatMap(Double.init) ?? .nan, 12, accuracy: 0.05)
        XCTAssertEqual(pre.properties["limit"], "50")
        XCTAssertEqual(pre.properties["unit"], "ms")
        XCTAssertTrue(pre.systemOut.hasPrefix("measured 12.0 ms, limit 50.0 ms"), pre.systemOut)
        XCTAssertEqual(pre.attributes["timestamp"], "2023-11-14T22:13:20")
        XCTAssertEqual(pre.attributes["time"], "0.500")
    }

    func testRecoveryCaseIsTimedFromTheFaultMark() throws {
        let r = report(objectives: [.init(recoverWithin: 5)])
        let junit = try JUnitCases(JUnitReport.render(r))
        let recovery = try XCTUnwrap(junit.cases["recover_within[cut the link]"])
        let measured = try XCTUnwrap(r.analysis.recoveries.first?.recoverySeconds)
        XCTAssertEqual(recovery.properties["measured"].flatMap(Double.init) ?? .nan, measured, accuracy: 1e-9)
        XCTAssertEqual(recovery.properties["limit"], "5")
        XCTAssertEqual(recovery.properties["unit"], "s")
        XCTAssertEqual(recovery.properties["fault"], "cut the link")
        XCTAssertEqual(recovery.attributes["timestamp"], "2023-11-14T22:13:21", "the fault ended at tick 10")
        XCTAssertEqual(Double(recovery.attributes["time"] ?? "") ?? .nan, r.analysis.recoveries[0].observedSeconds, accuracy: 0.001)
    }

    func testACheckWithoutDataIsNotMeasuredAndClaimsNoTime() throws {
        let junit = try JUnitCases(JUnitReport.render(report(objectives: [.init(maxErrorRate: 0.1, phases: ["soak"])])))
        let soak = try XCTUnwrap(junit.cases["max_error_rate[soak]"])
        XCTAssertEqual(soak.properties["measured"], "not measured")
        XCTAssertEqual(soak.properties["limit"], "0.1")
        XCTAssertNil(soak.failure)
        XCTAssertTrue(soak.error?.hasPrefix("not measured") ?? false, "\(soak.error ?? "no error")")
        XCTAssertTrue(soak.error?.contains("limit 10.00%") ?? false, "\(soak.error ?? "no error")")
        XCTAssertTrue(soak.systemOut.hasPrefix("not measured: no samples in soak"), soak.systemOut)
        XCTAssertNil(soak.attributes["timestamp"], "no data, no time")
        XCTAssertEqual(soak.attributes["time"], "0.000")
    }

    func testFailedStepCaseIsTimedByTheStep() throws {
        var r = report(objectives: [])
        r.steps = [RunStep(name: "rollback", startNanoseconds: 1_000_000_000, endNanoseconds: 1_250_000_000, succeeded: false, detail: "qdisc gone")]
        let step = try XCTUnwrap(try JUnitCases(JUnitReport.render(r)).cases["rollback"])
        XCTAssertEqual(step.failure, "qdisc gone")
        XCTAssertEqual(step.attributes["time"], "0.250")
        XCTAssertEqual(step.attributes["timestamp"], "2023-11-14T22:13:21")
    }

    func testPhaseTablesSayNotMeasuredForAPhaseWithoutSamples() {
        var s = SyntheticRun()
        s.add([true, true, true])
        s.mark(.phase, "post", atTick: 3)
        let r = RunReport(title: "cut short", run: s.run, analysis: RunAnalysis(s.run))
        XCTAssertEqual(r.analysis.phase("post")?.count, 0)
        XCTAssertTrue(MarkdownReport.render(r).contains("| post | 0 | not measured |"), MarkdownReport.render(r))
        XCTAssertTrue(HTMLReport.render(r).contains("<tr><td>post</td><td>0</td><td>not measured</td>"))
    }
}

/// The testcases of a junit.xml by name: attributes, properties, failure/error messages, system-out.
struct JUnitCases {
    struct Case {
        var attributes: [String: String]
        var properties: [String: String] = [:]
        var failure: String?
        var error: String?
        var systemOut = ""
    }

    var cases: [String: Case] = [:]
    var suite: [String: String] = [:]

    init(_ xml: String) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = delegate
        guard parser.parse() else { throw NSError(domain: "junit", code: 1, userInfo: [NSLocalizedDescriptionKey: xml]) }
        cases = delegate.cases
        suite = delegate.suite
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var cases: [String: Case] = [:]
        var suite: [String: String] = [:]
        var current: String?
        var inSystemOut = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "testsuite": suite = attributes
            case "testcase":
                current = attributes["name"]
                cases[current ?? ""] = Case(attributes: attributes)
            case "property" where current != nil: cases[current!]?.properties[attributes["name"] ?? ""] = attributes["value"]
            case "failure" where current != nil: cases[current!]?.failure = attributes["message"]
            case "error" where current != nil: cases[current!]?.error = attributes["message"]
            case "system-out": inSystemOut = true
            default: break
            }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "testcase" { current = nil }
            if name == "system-out" { inSystemOut = false }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inSystemOut, let current { cases[current]?.systemOut += string }
        }
    }
}
