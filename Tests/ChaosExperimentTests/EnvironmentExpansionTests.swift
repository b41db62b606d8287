import ChaosConfig
@testable import ChaosExperiment
import Foundation
import XCTest

/// `${NAME}` references are expanded in an experiment's parsed values, never in its text:
/// what the environment holds cannot change the file's structure, and comments are not read.
final class EnvironmentExpansionTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    private func parse(_ yaml: String, _ environment: [String: String]) throws -> Experiment {
        try ExperimentParser.parse(text: yaml, file: "/srv/exp/e.yaml", context: ExperimentContext(controlPath: "/tmp/unused.json"),
                                   environment: environment)
    }

    private func experiment(load: String, percent: String = "50") -> String {
        """
        # Point ${TARGET} at the service first.
        steady_state:
          probes: [{name: p, command: {run: "true"}}]
        load:
          command: \(load)
          results: {file: "${REPORTS}/requests.jsonl", timestamp: ts, latency: ms, status: code}
        method:
          - name: slow
            flag: {name: slow-db, percent: \(percent), latency_ms: 10}
            duration: 1s
        """
    }

    /// A report folder with a quote, a colon, a brace and a newline (a textual expansion
    /// broke the YAML with the first and folded the last into a space, so the results were
    /// read from a folder that does not exist).
    func testAValueFromTheEnvironmentStaysOneValueWhateverItHolds() throws {
        let odd = "/tmp/a \"b\": {c}\nd # e"
        let e = try parse(experiment(load: "\"./gen.sh ${REPORTS}\""), ["REPORTS": odd])
        XCTAssertEqual(e.load?.results?.path, odd + "/requests.jsonl")
        XCTAssertEqual(e.load?.command, "./gen.sh " + odd)
    }

    func testACommentIsNeverExpanded() throws {
        // ${TARGET} is only in the comment: unset, and no problem.
        XCTAssertNoThrow(try parse(experiment(load: "./gen.sh"), ["REPORTS": "/r"]))
    }

    func testDollarDollarIsALiteralReference() throws {
        let e = try parse(experiment(load: "\"sh -c 'echo $${HOME} ${REPORTS}'\""), ["REPORTS": "/r", "HOME": "/root"])
        XCTAssertEqual(e.load?.command, "sh -c 'echo ${HOME} /r'")
        XCTAssertEqual(EnvironmentExpansion.expand("$$${A}-$${B}", environment: ["A": "1"]).text, "$${A}-${B}")
    }

    func testDefaultsAndEmptyValues() {
        let env = ["SET": "x", "EMPTY": ""]
        XCTAssertEqual(EnvironmentExpansion.expand("${SET:-d}${EMPTY:-e}${UNSET:-a:-b}", environment: env).text, "xea:-b")
        let missing = EnvironmentExpansion.expand("${EMPTY}${UNSET}${SET}", environment: env)
        XCTAssertEqual(missing.text, "x")
        XCTAssertEqual(missing.missing, ["EMPTY", "UNSET"])
        XCTAssertEqual(EnvironmentExpansion.expand("${OPEN", environment: env).text, "${OPEN", "an unclosed reference stays text")
    }

    /// Quoted (as a flow mapping needs), a reference still reads as a number where one is due.
    func testAQuotedReferenceReadsAsANumber() throws {
        let e = try parse(experiment(load: "./gen.sh", percent: "\"${PCT:-25}\""), ["REPORTS": "/r"])
        guard case .fault(let fault, _) = try XCTUnwrap(e.method.first).action else { return XCTFail("not a fault step") }
        XCTAssertTrue(fault.summary.contains("25%"), fault.summary)
        XCTAssertThrowsError(try parse(experiment(load: "./gen.sh", percent: "\"${PCT}\""), ["REPORTS": "/r", "PCT": "150"])) { error in
            XCTAssertTrue("\(error)".contains("method.[0].flag.percent: '150': out of range"), "\(error)")
        }
    }

    func testAnUnsetReferenceNamesFileLineFieldAndVariable() {
        XCTAssertThrowsError(try parse(experiment(load: "./gen.sh"), [:])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("/srv/exp/e.yaml:6: load.results.file: '${REPORTS}'"), text)
            XCTAssertTrue(text.contains("environment variable REPORTS is not set"), text)
            XCTAssertEqual((error as? ConfigErrors)?.exitCode, .usage)
        }
    }

    func testAnUnquotedReferenceInsideBracesIsRefusedWithTheQuoteHint() {
        XCTAssertThrowsError(try parse(experiment(load: "./gen.sh", percent: "${PCT:-25}"), ["REPORTS": "/r"])) { error in
            XCTAssertTrue("\(error)".contains("e.yaml:9"), "\(error)")
            XCTAssertTrue("\(error)".contains("quote a reference: \"${NAME}\""), "\(error)")
        }
    }

    /// The drain example has no default node, so it can never drain one by accident.
    func testTheDrainExampleNeedsItsNodeNamed() throws {
        let file = repository + "/experiments/node-drain-recovery.yaml"
        let context = ExperimentContext(controlPath: "/tmp/unused.json", httpTransport: CurlProbeTransport())
        XCTAssertThrowsError(try ExperimentParser.load(file: file, context: context, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("method.[0].node.node: '${NODE}'"), "\(error)")
            XCTAssertEqual((error as? ConfigErrors)?.problems.count, 1, "only the node: \(error)")
        }
        let named = try ExperimentParser.load(file: file, context: context, environment: ["NODE": "worker-7"])
        XCTAssertTrue(named.method[0].summary.contains("worker-7"), named.method[0].summary)
    }
}
