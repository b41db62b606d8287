import ChaosCore
import ChaosTargets
import Foundation
import XCTest

/// `node cordon|drain` against the kube-apiserver double: the node's and pods' state
/// before, during and after, and every refusal leaving the cluster as it was.
final class NodeFaultTests: KubeDoubleTestCase {
    private func options(_ action: NodeFaultOptions.Action, _ d: KubeDouble, token: String = Scenario.chaosToken,
                         _ extra: [String: String]) throws -> NodeFaultOptions {
        var v = OptionValues()
        v.set("kubeconfig", try d.kubeconfig(token: token))
        for (k, value) in extra { v.set(k, value) }
        return try NodeFaultOptions(action: action, v)
    }

    private func lifecycle() -> FaultLifecycle {
        FaultLifecycle(journal: journal(), reverters: [NodeCordonReverter()])
    }

    func testCordonHoldsThenUncordonsAndShowsInTheJournal() throws {
        let d = try start(KubeFaultScenario.make())
        let life = lifecycle()
        let options = try options(.cordon, d, ["node": "node-3", "for": "1500ms"])
        XCTAssertFalse(try d.nodeIsCordoned("node-3"))
        let run = Background { try NodeChaos.run(options, lifecycle: life, log: { _ in }) }
        try eventually("node-3 cordoned") { try d.nodeIsCordoned("node-3") }
        let records = life.journal.records().records
        XCTAssertEqual(records.map(\.kind), ["node-cordon"])
        XCTAssertEqual(try d.nodeAnnotations("node-3")[NodeCordonFault.annotation], records.first?.id)
        let summary = try run.wait()
        XCTAssertEqual(summary.line, "reverted 1 of 1 fault(s) (time is up)")
        XCTAssertFalse(try d.nodeIsCordoned("node-3"))
        XCTAssertNil(try d.nodeAnnotations("node-3")[NodeCordonFault.annotation])
        XCTAssertTrue(life.journal.records().records.isEmpty)
    }

    func testDrainEvictsManagedPodsAndSkipsDaemonSetAndMirrorPods() throws {
        let d = try start(KubeFaultScenario.make())
        let options = try options(.drain, d, ["node": "node-2", "for": "1s", "grace-period": "0"])
        var lines: [String] = []
        let summary = try NodeChaos.run(options, lifecycle: lifecycle(), log: { lines.append($0) })
        XCTAssertNil(summary.failure)
        let pods = try d.podNames()
        XCTAssertFalse(pods.contains("api-1"), "evicted")
        XCTAssertFalse(pods.contains("web-1"), "evicted")
        XCTAssertTrue(pods.contains("fluentd-x"), "a DaemonSet's pod stays")
        XCTAssertTrue(pods.contains("etcd-node-2"), "a mirror pod stays")
        XCTAssertTrue(lines.contains("skipped chaos/fluentd-x: DaemonSet-managed"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("skipped chaos/etcd-node-2: mirror pod"), lines.joined(separator: "\n"))
        XCTAssertFalse(try d.nodeIsCordoned("node-2"), "uncordoned at the end")
    }

    func testEvictionBlockedByDisruptionBudgetIsRetriedThenReported() throws {
        // web-1 and web-2 are the budget's 2 healthy pods and it needs 2: every eviction is 429.
        let d = try start(KubeFaultScenario.make(pdbMinAvailable: 2))
        let options = try options(.drain, d, ["node": "node-2", "for": "1s", "timeout": "1s"])
        var lines: [String] = []
        let summary = try NodeChaos.run(options, lifecycle: lifecycle(), log: { lines.append($0) })
        XCTAssertEqual(summary.failure?.exitCode, .conflict)
        XCTAssertTrue(lines.contains { $0.hasPrefix("eviction of chaos/web-1 blocked by disruption budget, retrying in 5s") }, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("eviction of chaos/web-1 blocked by disruption budget: Cannot evict pod") }, lines.joined(separator: "\n"))
        XCTAssertTrue(try d.podNames().contains("web-1"))
        XCTAssertFalse(try d.nodeIsCordoned("node-2"))
    }

    func testDryRunChangesNothing() throws {
        let d = try start(KubeFaultScenario.make())
        let life = lifecycle()
        let before = try d.podNames()
        let summary = try NodeChaos.run(try options(.drain, d, ["node": "node-2", "dry-run": "true"]), lifecycle: life, log: { _ in })
        XCTAssertEqual(summary.line, "dry run: 1 node(s) would be cordoned; nothing changed")
        XCTAssertFalse(try d.nodeIsCordoned("node-2"))
        XCTAssertEqual(try d.nodeAnnotations("node-2"), [:])
        XCTAssertEqual(try d.podNames(), before)
        XCTAssertTrue(life.journal.records().records.isEmpty)
    }

    func testRefusalsChangeNothing() throws {
        let d = try start(KubeFaultScenario.make(unmanagedPodOnNode2: true))
        let life = lifecycle()
        func refusal(_ action: NodeFaultOptions.Action, token: String = Scenario.chaosToken, _ extra: [String: String]) throws -> ChaosFailure {
            do {
                _ = try NodeChaos.run(try options(action, d, token: token, extra.merging(["for": "1s"]) { $1 }), lifecycle: life, log: { _ in })
            } catch let failure as ChaosFailure { return failure }
            throw ChaosError("not refused: \(extra)")
        }
        XCTAssertEqual(try refusal(.cordon, ["node": "node-9"]).exitCode, .notFound)
        let everyNode = try refusal(.cordon, ["selector": "pool in (main,spot)"])
        XCTAssertEqual(everyNode.exitCode, .usage)
        XCTAssertTrue(everyNode.description.contains("every node of the cluster"), everyNode.description)
        let unmanaged = try refusal(.drain, ["node": "node-2"])
        XCTAssertEqual(unmanaged.exitCode, .usage)
        XCTAssertTrue(unmanaged.description.contains("chaos/debug"), unmanaged.description)
        let forbidden = try refusal(.cordon, token: Scenario.nobodyToken, ["node": "node-3"])
        XCTAssertEqual(forbidden.exitCode, .forbidden)
        XCTAssertTrue(forbidden.description.contains(#"cannot list resource "nodes""#), forbidden.description)
        for node in ["node-1", "node-2", "node-3"] { XCTAssertFalse(try d.nodeIsCordoned(node), node) }
        XCTAssertTrue(try d.podNames().contains("debug"))
        XCTAssertTrue(life.journal.records().records.isEmpty)
        // Someone else's cordon: refused, and left in place.
        try d.adminPatch("/api/v1/nodes/node-3", ["spec": ["unschedulable": true]])
        XCTAssertEqual(try refusal(.cordon, ["node": "node-3"]).exitCode, .conflict)
        XCTAssertTrue(try d.nodeIsCordoned("node-3"))
    }

    func testRevertLeavesACordonSomeoneTookOverAlone() throws {
        let d = try start(KubeFaultScenario.make())
        let life = lifecycle()
        let options = try options(.cordon, d, ["selector": "pool=spot,kubernetes.io/hostname!=node-2", "for": "1500ms"])
        var lines: [String] = []
        let run = Background { try NodeChaos.run(options, lifecycle: life, log: { lines.append($0) }) }
        try eventually("node-3 cordoned") { try d.nodeIsCordoned("node-3") }
        // An operator takes the cordon over (their own annotation), during the fault.
        try d.adminPatch("/api/v1/nodes/node-3", ["metadata": ["annotations": [NodeCordonFault.annotation: NSNull(), "ops/cordon": "maintenance"]]])
        let summary = try run.wait()
        XCTAssertTrue(summary.line.contains("1 part(s) left alone"), summary.line)
        XCTAssertTrue(lines.contains { $0.contains("node node-3: its cordon is no longer this fault's") }, lines.joined(separator: "\n"))
        XCTAssertTrue(try d.nodeIsCordoned("node-3"), "the operator's cordon stays")
    }

    /// drain.go waitForDelete: the drain returns once the evicted pods are gone (the
    /// double's kubelet stops them 0.2 s after the eviction, as within their grace period).
    func testDrainWaitsUntilEvictedPodsAreDeleted() throws {
        let d = try start(KubeFaultScenario.make())
        let options = try options(.drain, d, ["node": "node-2", "for": "1s"])
        var lines: [String] = []
        var goneWhenWaitEnded: [String: Bool] = [:]
        let summary = try NodeChaos.run(options, lifecycle: lifecycle(), log: { line in
            lines.append(line)
            if line.hasPrefix("all ") {
                let pods = (try? d.podNames()) ?? []
                goneWhenWaitEnded = ["api-1": !pods.contains("api-1"), "web-1": !pods.contains("web-1")]
            }
        })
        XCTAssertNil(summary.failure)
        XCTAssertTrue(lines.contains { $0.hasPrefix("waiting up to") && $0.hasSuffix("for 2 evicted pod(s) to be deleted") },
                      lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("all 2 evicted pod(s) deleted"), lines.joined(separator: "\n"))
        XCTAssertEqual(goneWhenWaitEnded, ["api-1": true, "web-1": true], "both gone before the drain said so")
    }

    /// A pod whose kubelet never confirms stays Terminating [T:A5]: the drain ends at
    /// --timeout naming it, and the fault is still reverted.
    func testDrainReportsPodsStillTerminatingAtTheTimeout() throws {
        var scenario = KubeFaultScenario.make()
        scenario["kubeletNodes"] = ["node-1", "node-3"]  // node-2's kubelet is gone
        let d = try start(scenario)
        let options = try options(.drain, d, ["node": "node-2", "for": "3s", "timeout": "1500ms"])
        var lines: [String] = []
        let summary = try NodeChaos.run(options, lifecycle: lifecycle(), log: { lines.append($0) })
        XCTAssertEqual(summary.failure?.exitCode, .failure)
        XCTAssertEqual(summary.failure?.description, "still terminating after --timeout 1.5s: chaos/api-1, chaos/web-1")
        XCTAssertTrue(lines.contains("still terminating: chaos/api-1, chaos/web-1"), lines.joined(separator: "\n"))
        XCTAssertTrue(try d.podNames().contains("web-1"), "still there, Terminating")
        XCTAssertFalse(try d.nodeIsCordoned("node-2"))
    }

    /// --taint: the cordon PATCH adds chaosctl's NoExecute taint; the revert removes it and
    /// only it, leaving a taint someone else added meanwhile.
    func testTaintIsAddedThenOnlyItIsRemoved() throws {
        var scenario = KubeFaultScenario.make()
        scenario["nodes"] = [["name": "node-1", "labels": ["pool": "main"]],
                             ["name": "node-2", "labels": ["pool": "spot"]],
                             ["name": "node-3", "labels": ["pool": "spot"],
                              "taints": [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]]]]
        let d = try start(scenario)
        let life = lifecycle()
        let options = try options(.cordon, d, ["node": "node-3", "taint": "true", "for": "1500ms"])
        let run = Background { try NodeChaos.run(options, lifecycle: life, log: { _ in }) }
        try eventually("node-3 tainted") { try d.nodeTaints("node-3").count == 2 }
        let id = try XCTUnwrap(life.journal.records().records.first?.id)
        XCTAssertEqual(try d.nodeTaints("node-3"), ["dedicated=gpu:NoSchedule", "chaosctl.io/preempted=\(id):NoExecute"])
        XCTAssertTrue(try d.nodeIsCordoned("node-3"))
        // Someone adds a taint of their own while the fault holds.
        let node = try XCTUnwrap(try d.object("/api/v1/nodes/node-3"))
        var taints = ((node["spec"] as? [String: Any])?["taints"] as? [[String: Any]]) ?? []
        taints.append(["key": "ops/maintenance", "value": "yes", "effect": "NoExecute"])
        try d.adminPatch("/api/v1/nodes/node-3", ["spec": ["taints": taints]])
        let summary = try run.wait()
        XCTAssertEqual(summary.line, "reverted 1 of 1 fault(s) (time is up)")
        XCTAssertEqual(try d.nodeTaints("node-3"), ["dedicated=gpu:NoSchedule", "ops/maintenance=yes:NoExecute"])
        XCTAssertFalse(try d.nodeIsCordoned("node-3"))
    }

    /// --taint with --dry-run: the server-side dry run changes no taint; a node that already
    /// has chaosctl's taint is refused.
    func testTaintDryRunChangesNothingAndATakenTaintIsRefused() throws {
        var scenario = KubeFaultScenario.make()
        scenario["nodes"] = [["name": "node-1", "labels": ["pool": "main"]], ["name": "node-2", "labels": ["pool": "spot"]],
                             ["name": "node-3", "labels": ["pool": "spot"],
                              "taints": [["key": NodeCordonFault.taintKey, "value": "other-run", "effect": "NoExecute"]]]]
        let d = try start(scenario)
        let life = lifecycle()
        let dry = try NodeChaos.run(try options(.cordon, d, ["node": "node-2", "taint": "true", "dry-run": "true"]),
                                    lifecycle: life, log: { _ in })
        XCTAssertEqual(dry.line, "dry run: 1 node(s) would be cordoned; nothing changed")
        XCTAssertEqual(try d.nodeTaints("node-2"), [])
        XCTAssertFalse(try d.nodeIsCordoned("node-2"))
        do {
            _ = try NodeChaos.run(try options(.cordon, d, ["node": "node-3", "taint": "true", "for": "1s"]), lifecycle: life, log: { _ in })
            XCTFail("not refused")
        } catch let failure as ChaosFailure {
            XCTAssertEqual(failure.exitCode, .conflict)
            XCTAssertTrue(failure.description.contains("already has the taint chaosctl.io/preempted=other-run:NoExecute"), failure.description)
        }
        XCTAssertEqual(try d.nodeTaints("node-3"), ["chaosctl.io/preempted=other-run:NoExecute"])
        XCTAssertTrue(life.journal.records().records.isEmpty)
    }

    /// Without pods/eviction create, the drain is refused by the server's 403 on a dry-run
    /// eviction, before the cordon: nothing changed, nothing journaled.
    func testDrainWithoutEvictionPermissionIsRefusedBeforeTheCordon() throws {
        var scenario = KubeFaultScenario.make()
        scenario["rules"] = (scenario["rules"] as! [[String: Any]]).filter { ($0["resource"] as? String) != "pods/eviction" }
        let d = try start(scenario)
        let life = lifecycle()
        do {
            _ = try NodeChaos.run(try options(.drain, d, ["node": "node-2", "for": "1s"]), lifecycle: life, log: { _ in })
            XCTFail("not refused")
        } catch let failure as ChaosFailure {
            XCTAssertEqual(failure.exitCode, .forbidden)
            XCTAssertTrue(failure.description.contains(#"cannot create resource "pods/eviction" in API group "" in the namespace "chaos""#),
                          failure.description)
        }
        XCTAssertFalse(try d.nodeIsCordoned("node-2"))
        XCTAssertTrue(try d.podNames().contains("api-1"))
        XCTAssertTrue(life.journal.records().records.isEmpty)
    }

    /// waitForDelete's other rule: a pod of the same name with another UID is a replacement,
    /// so the evicted one is gone (a StatefulSet brings web-1 back under its name).
    func testDrainCountsAPodRecreatedUnderItsNameAsGone() throws {
        var scenario = KubeFaultScenario.make()
        scenario["statefulSets"] = [["namespace": "chaos", "name": "web", "recreateDelay": 0.05]]
        let d = try start(scenario)
        let uidBefore = try XCTUnwrap(try d.object("/api/v1/namespaces/chaos/pods/web-1")?["metadata"] as? [String: Any])["uid"] as? String
        let options = try options(.drain, d, ["node": "node-2", "for": "1s", "timeout": "5s"])
        var lines: [String] = []
        let summary = try NodeChaos.run(options, lifecycle: lifecycle(), log: { lines.append($0) })
        XCTAssertNil(summary.failure, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("all 2 evicted pod(s) deleted"), lines.joined(separator: "\n"))
        let uidAfter = try XCTUnwrap(try d.object("/api/v1/namespaces/chaos/pods/web-1")?["metadata"] as? [String: Any])["uid"] as? String
        XCTAssertNotEqual(uidAfter, uidBefore, "web-1 is a new pod of the same name")
    }
}
