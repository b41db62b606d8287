import ChaosCore
import ChaosTargets
import Foundation
import XCTest

/// `scale` and `partition` against the kube-apiserver double: the workload's count and the
/// namespace's NetworkPolicies before, during and after.
final class ScalePartitionFaultTests: KubeDoubleTestCase {
    private func values(_ d: KubeDouble, token: String = Scenario.chaosToken, _ extra: [String: String]) throws -> OptionValues {
        var v = OptionValues()
        v.set("kubeconfig", try d.kubeconfig(token: token))
        for (k, value) in extra { v.set(k, value) }
        return v
    }

    private func lifecycle() -> FaultLifecycle {
        FaultLifecycle(journal: journal(), reverters: [ScaleReverter(), PartitionReverter()])
    }

    func testScaleToZeroAndBackWarnsAboutTheAutoscaler() throws {
        let d = try start(KubeFaultScenario.make())
        let options = try ScaleFaultOptions(try values(d, ["workload": "deployment/api", "replicas": "0", "for": "1500ms"]))
        let life = lifecycle()
        var warnings: [String] = []
        let run = Background { try ScaleChaos.run(options, lifecycle: life, log: { _ in }, warn: { warnings.append($0) }) }
        try eventually("api at 0") { try d.replicas("deployments", "api") == 0 }
        XCTAssertEqual(life.journal.records().records.first?.revertData["previous_replicas"], "3")
        let summary = try run.wait()
        XCTAssertEqual(summary.line, "reverted 1 of 1 fault(s) (time is up)")
        XCTAssertEqual(try d.replicas("deployments", "api"), 3)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("HorizontalPodAutoscaler api-hpa targets deployment/api (replicas 2-5)"), warnings[0])
        XCTAssertTrue(warnings[0].contains("an autoscaler cannot hold 0 replicas: delete it for the run"), warnings[0])
    }

    func testRevertLeavesACountSomeoneChangedAlone() throws {
        let d = try start(KubeFaultScenario.make())
        let options = try ScaleFaultOptions(try values(d, ["workload": "sts/redis", "replicas": "0", "for": "1500ms"]))
        var lines: [String] = []
        let run = Background { try ScaleChaos.run(options, lifecycle: self.lifecycle(), log: { lines.append($0) }, warn: { _ in }) }
        try eventually("redis at 0") { try d.replicas("statefulsets", "redis") == 0 }
        let put = try d.client(token: Scenario.adminToken).send(
            method: "PUT", "/apis/apps/v1/namespaces/chaos/statefulsets/redis/scale",
            json: ["metadata": ["name": "redis"], "spec": ["replicas": 2]])
        XCTAssertEqual(put.status, 200, put.text)
        let summary = try run.wait()
        XCTAssertTrue(summary.line.contains("1 part(s) left alone"), summary.line)
        XCTAssertTrue(lines.contains { $0.contains("now 2 replica(s), not the 0 this fault set") }, lines.joined(separator: "\n"))
        XCTAssertEqual(try d.replicas("statefulsets", "redis"), 2)
    }

    func testScaleDryRunAndRefusalsChangeNothing() throws {
        let d = try start(KubeFaultScenario.make())
        let life = lifecycle()
        let dry = try ScaleChaos.run(try ScaleFaultOptions(try values(d, ["workload": "deployment/api", "replicas": "0", "dry-run": "true"])),
                                     lifecycle: life, log: { _ in }, warn: { _ in })
        XCTAssertEqual(dry.line, "dry run: nothing changed")
        XCTAssertEqual(try d.replicas("deployments", "api"), 3)
        func refusal(token: String = Scenario.chaosToken, _ extra: [String: String]) throws -> ChaosFailure {
            do {
                _ = try ScaleChaos.run(try ScaleFaultOptions(try values(d, token: token, extra.merging(["for": "1s"]) { $1 })),
                                       lifecycle: life, log: { _ in }, warn: { _ in })
            } catch let failure as ChaosFailure { return failure }
            throw ChaosError("not refused: \(extra)")
        }
        XCTAssertEqual(try refusal(["workload": "deployment/nope", "replicas": "0"]).exitCode, .notFound)
        XCTAssertEqual(try refusal(["workload": "daemonset/x", "replicas": "0"]).exitCode, .usage)
        XCTAssertEqual(try refusal(["workload": "deployment/api", "replicas": "-1"]).exitCode, .usage)
        let forbidden = try refusal(token: Scenario.nobodyToken, ["workload": "deployment/api", "replicas": "0"])
        XCTAssertEqual(forbidden.exitCode, .forbidden)
        XCTAssertTrue(forbidden.description.contains(#"cannot get resource "deployments/scale" in API group "apps""#), forbidden.description)
        XCTAssertEqual(try d.replicas("deployments", "api"), 3)
        XCTAssertTrue(life.journal.records().records.isEmpty)
    }

    func testPartitionCreatesItsOwnPolicyAndDeletesOnlyIt() throws {
        let d = try start(KubeFaultScenario.make())
        let options = try PartitionFaultOptions(try values(d, ["selector": "app=redis", "from": "app=api", "port": "6379",
                                                               "direction": "ingress", "for": "1500ms"]))
        let life = lifecycle()
        let run = Background { try PartitionChaos.run(options, lifecycle: life, log: { _ in }) }
        try eventually("policy created") { try !d.policies().isEmpty }
        let policy = try XCTUnwrap(try d.policies().first)
        let meta = try XCTUnwrap(policy["metadata"] as? [String: Any])
        let record = try XCTUnwrap(life.journal.records().records.first)
        XCTAssertEqual(meta["name"] as? String, "chaosctl-partition-\(record.id)")
        XCTAssertEqual((meta["labels"] as? [String: String])?["app.kubernetes.io/managed-by"], "chaosctl")
        let spec = try XCTUnwrap(policy["spec"] as? [String: Any])
        XCTAssertEqual((spec["podSelector"] as? [String: Any])?["matchLabels"] as? [String: String], ["app": "redis"])
        XCTAssertEqual(spec["policyTypes"] as? [String], ["Ingress"])
        let rules = try XCTUnwrap(spec["ingress"] as? [[String: Any]])
        // Allowed: every pod but app=api on any port, and anyone on every port but 6379.
        let from = try XCTUnwrap(rules.first?["from"] as? [[String: Any]])
        let notIn = (from.first?["podSelector"] as? [String: Any])?["matchExpressions"] as? [[String: Any]]
        XCTAssertEqual(notIn?.first?["operator"] as? String, "NotIn")
        let ports = try XCTUnwrap(rules.last?["ports"] as? [[String: Any]])
        XCTAssertTrue(ports.contains { $0["port"] as? Int == 1 && $0["endPort"] as? Int == 6378 }, "\(ports)")
        XCTAssertTrue(ports.contains { $0["port"] as? Int == 6380 && $0["endPort"] as? Int == 65535 }, "\(ports)")
        _ = try run.wait()
        XCTAssertTrue(try d.policies().isEmpty)
    }

    func testPartitionRevertLeavesAReplacedPolicyAloneAndDryRunCreatesNothing() throws {
        let d = try start(KubeFaultScenario.make())
        let life = lifecycle()
        let dry = try PartitionChaos.run(try PartitionFaultOptions(try values(d, ["selector": "app=redis", "dry-run": "true"])),
                                         lifecycle: life, log: { _ in })
        XCTAssertEqual(dry.line, "dry run: nothing changed")
        XCTAssertTrue(try d.policies().isEmpty)
        let options = try PartitionFaultOptions(try values(d, ["selector": "app=redis", "for": "1500ms"]))
        let run = Background { try PartitionChaos.run(options, lifecycle: life, log: { _ in }) }
        try eventually("policy created") { try !d.policies().isEmpty }
        let name = try XCTUnwrap((try d.policies().first?["metadata"] as? [String: Any])?["name"] as? String)
        // Someone deletes it and creates their own of the same name.
        let admin = d.client(token: Scenario.adminToken)
        let base = "/apis/networking.k8s.io/v1/namespaces/chaos/networkpolicies"
        XCTAssertEqual(try admin.send(method: "DELETE", base + "/" + name).status, 200)
        let created = try admin.send(method: "POST", base, json: ["metadata": ["name": name],
                                                                  "spec": ["podSelector": [String: Any](), "policyTypes": ["Ingress"]]])
        XCTAssertEqual(created.status, 201, created.text)
        let summary = try run.wait()
        XCTAssertTrue(summary.line.contains("1 part(s) left alone"), summary.line)
        XCTAssertEqual(try d.policies().count, 1, "their policy stays")
        // Refused before anything is created: no pod matches, a set-based selector, 403.
        for (extra, code) in [(["selector": "app=nothing"], ExitCode.notFound), (["selector": "app in (a,b)"], .usage),
                              (["selector": "app=redis", "port": "70000"], .usage)] {
            XCTAssertThrowsError(try PartitionChaos.run(try PartitionFaultOptions(try values(d, extra.merging(["for": "1s"]) { $1 })),
                                                        lifecycle: life, log: { _ in })) { error in
                XCTAssertEqual((error as? ChaosFailure)?.exitCode, code, "\(extra): \(error)")
            }
        }
        XCTAssertThrowsError(try PartitionChaos.run(try PartitionFaultOptions(try values(d, token: Scenario.nobodyToken, ["selector": "app=redis", "for": "1s"])),
                                                    lifecycle: life, log: { _ in })) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .forbidden, "\(error)")
        }
        XCTAssertEqual(try d.policies().count, 1)
        XCTAssertTrue(life.journal.records().records.isEmpty)
    }
}
