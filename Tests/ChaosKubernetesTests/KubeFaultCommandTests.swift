import ChaosCore
import ChaosTestSupport
import Foundation
import XCTest

/// The real `chaosctl node|scale|partition` against the double: a SIGKILLed holder leaves
/// its fault journaled and `chaosctl recover` undoes it; SIGINT reverts at once; exit codes.
final class KubeFaultCommandTests: KubeDoubleTestCase {
    private var temp: TempDir!

    override func setUpWithError() throws { temp = try TempDir() }
    override func tearDown() {
        super.tearDown()
        temp = nil
    }

    private var cli: Chaosctl { Chaosctl(stateDir: temp.path + "/state") }

    /// Start a held fault, wait until `applied` sees it, SIGKILL chaosctl, then recover.
    private func killThenRecover(_ args: [String], kind: String, applied: () throws -> Bool, reverted: () throws -> Bool) throws {
        let p = try cli.start(args)
        try eventually("\(kind) applied") { try applied() }
        try eventually("\(kind) journaled as applied") { try cli.run(["status"]).stdout.contains("applied") }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertTrue(try applied(), "SIGKILL leaves the fault in place")
        let status = try cli.run(["status"])
        XCTAssertTrue(status.stdout.contains(kind), status.stdout)
        let recover = try cli.run(["recover"])
        XCTAssertEqual(recover.status, 0, recover.stdout + recover.stderr)
        XCTAssertTrue(try reverted(), recover.stdout)
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    func testEveryKindIsRecoveredAfterSIGKILL() throws {
        let d = try start(KubeFaultScenario.make())
        let kubeconfig = try d.kubeconfig()
        try killThenRecover(["node", "cordon", "node-3", "--kubeconfig", kubeconfig], kind: "node-cordon",
                            applied: { try d.nodeIsCordoned("node-3") }, reverted: { try !d.nodeIsCordoned("node-3") })
        try killThenRecover(["scale", "deployment/api", "--replicas", "0", "--kubeconfig", kubeconfig], kind: "scale",
                            applied: { try d.replicas("deployments", "api") == 0 },
                            reverted: { try d.replicas("deployments", "api") == 3 })
        try killThenRecover(["partition", "-l", "app=redis", "--kubeconfig", kubeconfig], kind: "partition",
                            applied: { try d.policies().count == 1 }, reverted: { try d.policies().isEmpty })
    }

    /// A drain with --taint: SIGKILLed while held, `recover` uncordons the node and removes
    /// chaosctl's taint; `status` shows it meanwhile.
    func testDrainWithTaintIsRecoveredAfterSIGKILL() throws {
        let d = try start(KubeFaultScenario.make())
        try killThenRecover(["node", "drain", "node-2", "--taint", "--grace-period", "0", "--kubeconfig", try d.kubeconfig()],
                            kind: "node-cordon",
                            applied: { try d.nodeIsCordoned("node-2") && d.nodeTaints("node-2").count == 1 && !d.podNames().contains("api-1") },
                            reverted: { try !d.nodeIsCordoned("node-2") && d.nodeTaints("node-2").isEmpty })
    }

    /// Through the CLI: pods whose kubelet never confirms stay Terminating [T:A5], so the drain
    /// exits 1 naming them at --timeout, and the node is uncordoned all the same.
    func testDrainWithPodsStillTerminatingExitsOneAndUncordons() throws {
        var scenario = KubeFaultScenario.make()
        scenario["kubeletNodes"] = ["node-1", "node-3"]  // node-2's kubelet is gone
        let d = try start(scenario)
        let r = try cli.run(["node", "drain", "node-2", "--timeout", "1500ms", "--for", "3s", "--kubeconfig", try d.kubeconfig()])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("still terminating after --timeout 1.5s: chaos/api-1, chaos/web-1"), r.stderr)
        XCTAssertTrue(try d.podNames().contains("web-1"), "still there, Terminating")
        XCTAssertFalse(try d.nodeIsCordoned("node-2"), r.stdout)
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    /// `--dry-run` of cordon and drain through the CLI: the double's nodes and pods as before.
    func testCordonAndDrainDryRunChangeNothing() throws {
        let d = try start(KubeFaultScenario.make())
        let mine = try d.kubeconfig()
        let pods = try d.podNames()
        for args in [["node", "cordon", "node-3", "--taint"], ["node", "drain", "node-2", "--taint", "--grace-period", "0"]] {
            let run = try cli.run(args + ["--dry-run", "--kubeconfig", mine])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.contains("dry run: 1 node(s) would be cordoned; nothing changed"), run.stdout + run.stderr)
        }
        for node in ["node-2", "node-3"] {
            XCTAssertFalse(try d.nodeIsCordoned(node))
            XCTAssertEqual(try d.nodeAnnotations(node), [:])
            XCTAssertEqual(try d.nodeTaints(node), [])
        }
        XCTAssertEqual(try d.podNames(), pods)
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    /// KUBECONFIG is a list kubectl merges (missing files skipped); `recover` from a shell
    /// where it says something else must still reach the cluster the fault was applied on.
    func testRecoverUsesTheKubeconfigListOfTheApply() throws {
        let d = try start(KubeFaultScenario.make())
        var applying = cli
        applying.extraEnvironment = ["KUBECONFIG": "/nonexistent/first.yaml:" + (try d.kubeconfig())]
        let p = try applying.start(["scale", "sts/redis", "--replicas", "0"])
        try eventually("redis at 0") { try d.replicas("statefulsets", "redis") == 0 }
        try eventually("journaled as applied") { try cli.run(["status"]).stdout.contains("applied") }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        var elsewhere = cli
        elsewhere.extraEnvironment = ["KUBECONFIG": "/nonexistent/other.yaml"]
        let recover = try elsewhere.run(["recover"])
        XCTAssertEqual(recover.status, 0, recover.stdout + recover.stderr)
        XCTAssertEqual(try d.replicas("statefulsets", "redis"), 1)
    }

    func testSIGINTRevertsAtOnce() throws {
        let d = try start(KubeFaultScenario.make())
        let p = try cli.start(["node", "drain", "node-2", "--grace-period", "0", "--kubeconfig", try d.kubeconfig()])
        try eventually("node-2 cordoned and drained") { try d.nodeIsCordoned("node-2") && !d.podNames().contains("api-1") }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 128 + SIGINT)
        XCTAssertFalse(try d.nodeIsCordoned("node-2"))
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    func testExitCodesAndDryRun() throws {
        let d = try start(KubeFaultScenario.make())
        let mine = try d.kubeconfig(), nobody = try d.kubeconfig(token: Scenario.nobodyToken)
        XCTAssertEqual(try cli.run(["node", "cordon", "node-9", "--kubeconfig", mine, "--for", "1s"]).status, 7)
        let every = try cli.run(["node", "drain", "-l", "pool", "--kubeconfig", mine, "--for", "1s"])
        XCTAssertEqual(every.status, 2, every.stderr)
        XCTAssertTrue(every.stderr.contains("every node of the cluster"), every.stderr)
        let forbidden = try cli.run(["scale", "deployment/api", "--replicas", "0", "--kubeconfig", nobody, "--for", "1s"])
        XCTAssertEqual(forbidden.status, 6, forbidden.stderr)
        XCTAssertEqual(try cli.run(["partition", "-l", "app=redis", "--port", "0", "--kubeconfig", mine]).status, 2)
        let hpa = try cli.run(["scale", "deployment/api", "--replicas", "0", "--dry-run", "--kubeconfig", mine])
        XCTAssertEqual(hpa.status, 0, hpa.stderr)
        XCTAssertTrue(hpa.stderr.contains("warning: HorizontalPodAutoscaler api-hpa targets deployment/api"), hpa.stderr)
        XCTAssertTrue(hpa.stdout.contains("would scale deployment/api in namespace chaos from 3 to 0"), hpa.stdout)
        XCTAssertEqual(try d.replicas("deployments", "api"), 3)
        XCTAssertEqual(try cli.run(["partition", "-l", "app=redis", "--dry-run", "--kubeconfig", mine]).status, 0)
        XCTAssertTrue(try d.policies().isEmpty)
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }
}

/// experiments/node-drain-recovery.yaml's own node step, run by `chaosctl run` against the
/// double: the node is drained during the step and uncordoned when it ends.
final class NodeDrainExperimentTests: KubeDoubleTestCase {
    func testShippedExperimentDrainStepDrainsThenUncordons() throws {
        let temp = try TempDir()
        let d = try start(KubeFaultScenario.make())
        let experiment = temp.path + "/drain-step.yaml"
        try experimentOfShippedStep("node-drain-recovery.yaml", step: "drain one node", next: "observe", writingTo: experiment)
        var cli = Chaosctl(stateDir: temp.path + "/state")
        cli.extraEnvironment = ["KUBECONFIG": try d.kubeconfig(), "NODE": "node-2", "DRAIN_FOR": "2s"]
        let p = try cli.start(["run", "-f", experiment, "--report-dir", temp.path + "/report"])
        try eventually("node-2 drained during the step") { try d.nodeIsCordoned("node-2") && !d.podNames().contains("api-1") }
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertFalse(try d.nodeIsCordoned("node-2"), "uncordoned when the step ended")
        XCTAssertTrue(try d.podNames().contains("fluentd-x"))
    }
}
