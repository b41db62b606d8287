import ChaosCore
import ChaosTestSupport
import ChaosExperiment
@testable import ChaosNet
import Foundation
import XCTest

/// A `tbf:` step and `chaosctl tbf apply` with the same options put the same qdisc on the
/// device (read back from the kernel), in a namespace the test creates.
final class QdiscStepTests: NetnsPairTestCase {
    private func step<F: Fault>(_ body: String, seed: UInt64?, as: F.Type = F.self) throws -> F {
        let yaml = """
        title: netem step
        steady_state:
          probes:
            - name: fine
              command: "true"
        method:
          - \(body)
            duration: 1s
        """
        let context = ExperimentContext(controlPath: state + "/control.json", seed: seed)
        let method = try ExperimentParser.parse(text: yaml, file: state + "/netem.yaml", context: context, environment: [:]).method
        guard case .fault(let fault as F, _) = method.first?.action else {
            throw FixtureFailure(reason: "not a \(F.self): \(method)")
        }
        return fault
    }

    func testStepAndCommandPutTheSameTbfOnTheDevice() throws {
        let options = ["rate": "1mbit", "burst": "10k", "latency": "50ms", "peakrate": "2mbit", "mtu": "1600"]
        var args = ["tbf", "apply", "--dev", pair.devA, "--netns", pair.a, "--detach"]
        for (name, value) in options.sorted(by: { $0.key < $1.key }) { args += ["--\(name)", value] }
        let applied = sh([try probePath()] + args, environment: ["CHAOSCTL_STATE_DIR": state])
        XCTAssertEqual(applied.status, 0, applied.output)
        let byCommand = try XCTUnwrap(try QdiscControl(target: .named(pair.a), device: pair.devA).root()?.tbf)
        let record = try XCTUnwrap(FaultJournal(directory: state).records().records.first)
        XCTAssertEqual(sh([try probePath(), "tbf", "clear", "--dev", pair.devA, "--netns", pair.a],
                          environment: ["CHAOSCTL_STATE_DIR": state]).status, 0)

        let body = "tbf: {dev: \(pair.devA), netns: \(pair.a), " + options.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        let fault: TbfFault = try step(body, seed: 1234)
        XCTAssertEqual(fault.summary, record.summary, "the step's model is the command's")
        XCTAssertEqual(fault.target, record.target)
        let lifecycle = FaultLifecycle(journal: FaultJournal(directory: state), reverters: QdiscReverter.all)
        let held = try lifecycle.apply(fault, held: true)
        let byStep = try XCTUnwrap(try QdiscControl(target: .named(pair.a), device: pair.devA).root()?.tbf)
        try lifecycle.revert(held)
        XCTAssertFalse(pair.qdiscs(ns: pair.a, dev: pair.devA).contains("ca05:"))
        XCTAssertEqual(byStep, byCommand)
    }
}
