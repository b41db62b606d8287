import ChaosConfig
import ChaosCore
import ChaosExperiment
@testable import ChaosNet
import Foundation
import XCTest

/// A `block:` step reads the same options model as `chaosctl block`, is refused where it is
/// written when a value is bad, and blocks for real in a namespace the test creates.
final class PortBlockStepTests: XCTestCase {
    private let file = "/nonexistent/block.yaml"

    private func parse(_ step: String) throws -> [PlannedStep] {
        let yaml = """
        title: block step
        steady_state:
          probes:
            - name: fine
              command: "true"
        method:
          - \(step)
            duration: 2s
        """
        let context = ExperimentContext(controlPath: "/nonexistent/control.json", seed: nil)
        return try ExperimentParser.parse(text: yaml, file: file, context: context, environment: [:]).method
    }

    func testStepAndCLIValuesBuildTheSameModel() throws {
        var cli = OptionValues()
        for (name, text) in [("port", "5432"), ("direction", "ingress"), ("protocol", "udp"), ("netns", "red")] { cli.set(name, text) }
        cli.set("reject", flag: true)
        let fromCLI = try PortBlockOptions(cli)
        XCTAssertEqual(fromCLI.spec, PortBlockSpec(port: 5432, direction: .ingress, transport: .udp, verdict: .reject))

        let steps = try parse("block: {port: 5432, direction: ingress, protocol: udp, reject: true, netns: red}")
        guard case .fault(let fault as PortBlockFault, let duration) = steps[0].action else {
            return XCTFail("not a port block: \(steps[0].summary)")
        }
        XCTAssertEqual(fault.spec, fromCLI.spec)
        XCTAssertEqual(fault.netTarget, .named("red"))
        XCTAssertEqual(duration, 2)
        XCTAssertEqual(try PortBlockOptions(OptionValues().with("port", "80")).spec.verdict, .drop, "drop is the default")
    }

    func testABadStepIsRefusedWhereItIsWritten() {
        for (step, field, message) in [
            ("block: {port: 70000, netns: red}", "port", "out of range"),
            ("block: {netns: red}", "port", "is required"),
            ("block: {port: 80, direction: up}", "direction", "is not one of egress, ingress"),
            ("block: {port: 80, dev: eth0}", "dev", "unknown field"),
        ] {
            XCTAssertThrowsError(try parse(step), step) { error in
                guard let problems = (error as? ConfigErrors)?.problems, let problem = problems.first else {
                    return XCTFail("\(step): \(error)")
                }
                XCTAssertEqual(problem.file, file)
                XCTAssertEqual(problem.line, 7, "\(problem)")
                XCTAssertTrue(problem.description.contains(field) && problem.description.contains(message), "\(step): \(problem)")
            }
        }
    }

    func testTheStepBlocksInTheNamespaceAndItsRevertRemovesTheTable() throws {
        try requireRootAndIproute2()
        try requireNft()
        let pair = try NetnsPair(tag: "t")
        defer { pair.destroy() }
        let server = try pair.startServer(port: 6379)
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let steps = try parse("block: {port: 6379, netns: \(pair.a), reject: true}")
        guard case .fault(let fault, _) = steps[0].action else { return XCTFail("not a fault") }
        let state = temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: state) }
        let lifecycle = FaultLifecycle(journal: FaultJournal(directory: state), reverters: [PortBlockReverter()])
        let record = try lifecycle.apply(fault, held: true)
        XCTAssertEqual(pair.connect(port: 6379), "refused")
        XCTAssertEqual(pair.tables(ns: pair.a).count, 1)
        XCTAssertTrue(lifecycle.revertHeld().isEmpty)
        XCTAssertEqual(pair.ruleset(ns: pair.a), "")
        XCTAssertEqual(pair.connect(port: 6379), "ok")
        XCTAssertEqual(record.revertData["port"], "6379")
    }

    /// The kernels here all have nf_tables, so its absence is checked at the mapping: the
    /// errnos the kernel gives (socket: EPROTONOSUPPORT without nfnetlink; a batch or query:
    /// EOPNOTSUPP without the nf_tables subsystem, net/netfilter/nfnetlink.c) read as
    /// "unsupported", and EPERM as a missing CAP_NET_ADMIN.
    func testMissingNfTablesAndPermissionAreNamed() {
        let noSocket = NftablesErrors.explain(NftablesFailure(errno: EPROTONOSUPPORT, refused: "socket"), doing: "x", target: .current)
        XCTAssertEqual(noSocket.exitCode, .unsupported)
        XCTAssertTrue(noSocket.message.contains("no nf_tables"), noSocket.message)
        for refused in ["batch", "query"] {
            let noSubsystem = NftablesErrors.explain(NftablesFailure(errno: EOPNOTSUPP, refused: refused), doing: "x", target: .current)
            XCTAssertEqual(noSubsystem.exitCode, .unsupported, refused)
            XCTAssertTrue(noSubsystem.message.contains("CONFIG_NF_TABLES"), noSubsystem.message)
        }
        let denied = NftablesErrors.explain(NftablesFailure(errno: EPERM, refused: "batch"), doing: "x", target: .named("red"))
        XCTAssertEqual(denied.exitCode, .permission)
        XCTAssertTrue(denied.message.contains("CAP_NET_ADMIN in netns red"), denied.message)
    }
}

private extension OptionValues {
    func with(_ name: String, _ text: String) -> OptionValues {
        var v = self
        v.set(name, text)
        return v
    }
}
