import ChaosCore
import ChaosTargets
import Foundation
import XCTest

/// Repeated rounds and recovery reporting: the cap holds across fast rounds, and no
/// recovery is reported that was not measured.
final class PodRoundSafetyTests: KubeDoubleTestCase {
    /// A 4-replica Deployment whose replacements stay Pending for the whole test (slow
    /// scheduling), so every kill takes one serving pod away until it is replaced.
    private func fourReplicas(ready: Bool = true) -> [String: Any] {
        // db-0 keeps the selector from matching every pod of the namespace.
        Scenario.base(pods: (1...4).map { Scenario.pod("api-\($0)", app: "api", ready: ready, replicaSet: "api-rs") }
                          + [Scenario.pod("db-0", app: "db")],
                      replicaSets: [["namespace": "chaos", "name": "api-rs", "labels": ["app": "api"],
                                     "recreateDelay": 0.03, "runningDelay": 60, "readyDelay": 60]])
    }

    private func serving(_ d: KubeDouble) throws -> Int {
        try d.client(token: Scenario.adminToken).listPods(namespace: "chaos", labelSelector: "app=api").pods.filter(\.isServing).count
    }

    func testFastRoundsNeverTakeAFourReplicaDeploymentBelowTheCap() throws {
        let d = try start(fourReplicas())
        var lines: [String] = []
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: nil) { lines.append($0) }
        // Five rounds 0.25 s apart, far faster than the replacements become Ready.
        let rounds = try runner.run(PodChaosPlan(
            action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .count(1), maxPercent: 50),
            gracePeriodSeconds: 0, seed: 5, interval: 0.25, duration: 1.25))
        XCTAssertEqual(rounds.count, 5)
        XCTAssertEqual(rounds.flatMap(\.results).count, 2, "two kills leave 2 of 4 unavailable, the 50 % cap: \(lines)")
        XCTAssertEqual(rounds.filter { $0.skipped != nil }.count, 3)
        XCTAssertTrue(rounds[2].skipped?.contains("2 of 4 pods are already unavailable") ?? false, "\(rounds[2].skipped ?? "")")
        XCTAssertTrue(lines.contains { $0.hasPrefix("round 3 skipped: ") }, "\(lines)")
        XCTAssertEqual(try serving(d), 2, "half of the Deployment must still serve")
    }

    func testReplacementsThatNeverComeStillCountAsMissing() throws {
        // Four pods nothing recreates (bare pods; or a quota or a stopped controller-manager
        // blocking replacements): the pod list shrinks, the workload does not.
        let d = try start(Scenario.base(pods: (1...4).map { Scenario.pod("solo-\($0)", app: "solo") }
                                           + [Scenario.pod("db-0", app: "db")]))
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: nil)
        let rounds = try runner.run(PodChaosPlan(
            action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=solo"),
            gracePeriodSeconds: 0, seed: 9, interval: 0.2, duration: 0.8))
        XCTAssertEqual(rounds.flatMap(\.results).count, 2)
        XCTAssertEqual(rounds.filter { $0.skipped != nil }.count, 2)
        XCTAssertEqual(try d.client(token: Scenario.adminToken).listPods(namespace: "chaos", labelSelector: "app=solo").pods.count, 2)
    }

    func testASingleRoundRefusedByPodsAlreadyDownExitsWithUsage() throws {
        // Two of four already unavailable before the command: nothing is hit, exit 2.
        var scenario = fourReplicas()
        var pods = scenario["pods"] as! [[String: Any]]
        pods[0]["ready"] = false
        pods[1]["ready"] = false
        scenario["pods"] = pods
        let d = try start(scenario)
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: nil)
        XCTAssertThrowsError(try runner.run(PodChaosPlan(
            action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=api"), gracePeriodSeconds: 0, seed: 1))) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
        }
        XCTAssertEqual(try d.client(token: Scenario.adminToken).listPods(namespace: "chaos", labelSelector: "app=api").pods.count, 4)
    }

    func testWaitRecoveredWithNothingReadyBeforeReportsNothingToRecoverTo() throws {
        let d = try start(fourReplicas(ready: false))
        var lines: [String] = []
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: nil) { lines.append($0) }
        let rounds = try runner.run(PodChaosPlan(
            action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", maxPercent: 100),
            gracePeriodSeconds: 0, seed: 3, waitRecovered: 5))
        XCTAssertEqual(rounds[0].results.count, 1)
        XCTAssertNil(rounds[0].recovery, "no recovery was measured, so none may be reported")
        XCTAssertTrue(rounds[0].recoveryNotMeasured?.hasPrefix("nothing to recover to") ?? false, "\(rounds[0])")
        XCTAssertFalse(lines.contains { $0.hasPrefix("recovered in") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains("was Running and Ready before the round") }, "\(lines)")

        let watcher = PodRecoveryWatcher(client: d.client(token: Scenario.chaosToken), namespace: "chaos",
                                         labelSelector: "app=api", fieldSelector: nil)
        XCTAssertThrowsError(try watcher.wait(required: 0, excluding: [], before: [], since: Date(), timeout: 1),
                             "the watcher never times a recovery to zero pods")
    }
}
