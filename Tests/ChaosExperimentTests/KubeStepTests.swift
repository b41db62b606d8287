import ChaosConfig
import ChaosCore
import ChaosExperiment
import ChaosTargets
import ChaosTestSupport
import Foundation
import XCTest

/// `node:`, `scale:` and `partition:` steps read through the same options models as
/// `chaosctl node|scale|partition`: same names, bad values reported where written, and a
/// held step needs a duration.
final class KubeStepTests: XCTestCase {
    private let file = "/nonexistent/kube-steps.yaml"

    private func problems(_ steps: [String]) -> [ConfigProblem] {
        var yaml = "title: steps\nsteady_state:\n  probes:\n    - name: fine\n      command: \"true\"\nmethod:\n"
        for step in steps { yaml += "  - \(step)\n" }
        do {
            _ = try ExperimentParser.parse(text: yaml, file: file, context: ExperimentContext(controlPath: "/nonexistent/c.json"),
                                           environment: [:])
            return []
        } catch let e as ConfigErrors {
            return e.problems
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    func testGoodStepsParseAsSelfRevertingFaults() {
        XCTAssertEqual(problems([
            "node: {action: drain, node: worker-2, grace-period: 30s, timeout: 1m}\n    duration: 2m",
            "node: {action: cordon, selector: pool=spot}\n    duration: 30s",
            "scale: {workload: deployment/api, replicas: 0, namespace: shop}\n    duration: 60s",
            "partition: {selector: app=redis, from: app=api, port: 6379, direction: ingress}\n    duration: 30s",
        ]), [])
    }

    func testBadValuesAreReportedAtTheirField() {
        let found = problems([
            "node: {action: drain, node: worker-2, timeout: soon}\n    duration: 1m",
            "node: {action: cordon, node: a, selector: b}\n    duration: 1m",
            "scale: {workload: daemonset/x, replicas: 1}\n    duration: 1m",
            "scale: {workload: deployment/api, replicas: 0}",
            "partition: {selector: 'app in (a,b)'}\n    duration: 1m",
            "partition: {selector: app=a, port: 70000}\n    duration: 1m",
        ])
        func problem(_ field: String) -> ConfigProblem? { found.first { $0.field.hasPrefix(field) } }
        XCTAssertEqual(problem("method.[0].node.timeout")?.value, "soon", "\(found)")
        XCTAssertTrue(problem("method.[1].node")?.message.contains("not both") ?? false, "\(found)")
        XCTAssertTrue(problem("method.[2].scale.workload")?.message.contains("deployment/NAME") ?? false, "\(found)")
        XCTAssertTrue(problem("method.[3].scale")?.message.contains("needs a duration") ?? false, "\(found)")
        XCTAssertTrue(problem("method.[4].partition.selector")?.message.contains("matchLabels") ?? false, "\(found)")
        XCTAssertTrue(problem("method.[5].partition.port")?.message.contains("1-65535") ?? false, "\(found)")
    }

    /// The commands' long options are the models' names (positional arguments aside).
    func testCommandsDeclareTheModelsNames() throws {
        func options(_ command: [String]) throws -> Set<String> {
            let r = runProcess([Chaosctl.binary] + command + ["--help"])
            XCTAssertEqual(r.status, 0, r.output)
            let words = r.output.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," })
            return Set(words.filter { $0.hasPrefix("--") && $0.dropFirst(2).allSatisfy { $0.isLowercase || $0 == "-" } }
                .map { String($0.dropFirst(2)) }).subtracting(["help", "version", "state-dir"])
        }
        for action in NodeFaultOptions.Action.allCases {
            XCTAssertEqual(try options(["node", action.rawValue]),
                           Set(NodeFaultOptions.optionNames(action)).subtracting(["node"]), action.rawValue)
        }
        XCTAssertEqual(try options(["scale"]), Set(ScaleFaultOptions.optionNames).subtracting(["workload"]))
        XCTAssertEqual(try options(["partition"]), Set(PartitionFaultOptions.optionNames))
    }
}
