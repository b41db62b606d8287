import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl pod …` end to end: the real binary against the kube-apiserver double of
/// ChaosKubernetesTests (same fixture, real TLS), checking output and exit codes.
final class PodCommandTests: XCTestCase {
    private var temp: TempDir!
    private var cli: Chaosctl!
    private var double: KubeDoubleProcess?

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        let port = try startDouble()
        // The double's kubeconfig again, plus a context whose token the double rejects.
        try """
        apiVersion: v1
        kind: Config
        current-context: agent
        clusters:
        - name: double
          cluster: {server: "https://127.0.0.1:\(port)", certificate-authority: ca.pem}
        users:
        - name: agent
          user: {token: chaos-token}
        - name: stranger
          user: {token: not-a-token}
        contexts:
        - name: agent
          context: {cluster: double, user: agent, namespace: chaos}
        - name: stranger
          context: {cluster: double, user: stranger, namespace: chaos}
        """.write(toFile: temp.path + "/kubeconfig", atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        double?.stop()
        double = nil
        temp = nil
    }

    private func startDouble() throws -> Int {
        let pod = { (name: String, app: String) -> [String: Any] in
            ["namespace": "chaos", "name": name, "labels": ["app": app], "phase": "Running", "ready": true,
             "nodeName": "node-1", "replicaSet": app == "api" ? "api-rs" : NSNull()]
        }
        let scenario: [String: Any] = [
            "tokens": ["chaos-token": "chaos-agent"],
            "rules": [
                ["user": "chaos-agent", "namespace": "chaos", "resource": "pods", "verbs": ["get", "list", "watch", "delete"]],
                ["user": "chaos-agent", "namespace": "chaos", "resource": "pods/eviction", "verbs": ["create"]],
            ],
            "pods": [pod("api-1", "api"), pod("api-2", "api"), pod("api-3", "api"), pod("web-1", "web"), pod("web-2", "web"),
                     pod("db-1", "db"),
                     // Running but never Ready before the test: nothing to recover to.
                     ["namespace": "chaos", "name": "cold-1", "labels": ["app": "cold"], "phase": "Running", "ready": false,
                      "nodeName": "node-1", "replicaSet": "cold-rs"],
                     ["namespace": "chaos", "name": "cold-2", "labels": ["app": "cold"], "phase": "Running", "ready": false,
                      "nodeName": "node-1", "replicaSet": "cold-rs"]]
                // A 4-replica Deployment whose replacements stay Pending for the whole test.
                + (1...4).map { pod("slow-\($0)", "slow").merging(["replicaSet": "slow-rs"]) { $1 } },
            "replicaSets": [["namespace": "chaos", "name": "api-rs", "labels": ["app": "api"],
                             "recreateDelay": 0.03, "runningDelay": 0.1, "readyDelay": 0.3],
                            ["namespace": "chaos", "name": "cold-rs", "labels": ["app": "cold"],
                             "recreateDelay": 0.03, "runningDelay": 0.1, "readyDelay": 60],
                            ["namespace": "chaos", "name": "slow-rs", "labels": ["app": "slow"],
                             "recreateDelay": 0.03, "runningDelay": 60, "readyDelay": 60]],
            "pdbs": [["namespace": "chaos", "name": "web-pdb", "matchLabels": ["app": "web"], "minAvailable": 2]],
            "kubeletNodes": ["node-1"],
        ]
        let started = try KubeDoubleProcess(directory: temp.path, scenario: scenario)
        double = started
        let port = started.port
        return port
    }

    private func pod(_ args: [String]) throws -> Chaosctl.Result {
        try cli.run(["pod"] + args + ["--kubeconfig", temp.path + "/kubeconfig"])
    }

    func testKillWaitsForRecoveryAndShowsInStatus() throws {
        let r = try pod(["kill", "-l", "app=api", "--grace-period", "0", "--seed", "4", "--wait-recovered", "10s"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("deleted pod chaos/api-"), r.stdout)
        XCTAssertTrue(r.stdout.contains("recovered in "), r.stdout)
        XCTAssertTrue(r.stdout.contains("3 of 3 pods Running and Ready (new: chaos/api-rs-"), r.stdout)
        let status = try cli.run(["status"])
        XCTAssertTrue(status.stdout.contains("pod-kill pod chaos/api-"), status.stdout)
    }

    func testWaitRecoveredWithNoReadyPodSaysThereIsNothingToRecoverTo() throws {
        let r = try pod(["kill", "-l", "app=cold", "--grace-period", "0", "--max-percent", "100", "--seed", "2",
                         "--wait-recovered", "5s"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("deleted pod chaos/cold-"), r.stdout)
        XCTAssertTrue(r.stdout.contains("nothing to recover to: no pod matching label selector 'app=cold' in namespace chaos was Running and Ready before the round"), r.stdout)
        XCTAssertTrue(r.stdout.contains("recovery not measured in 1 round(s): nothing to recover to"), r.stdout)
        XCTAssertFalse(r.stdout.contains("recovered in"), "no recovery was measured: \(r.stdout)")
    }

    func testFastRoundsSkipWhatTheCapForbidsAndSayHowMany() throws {
        let r = try pod(["kill", "-l", "app=slow", "--grace-period", "0", "--interval", "250ms", "--duration", "1250ms",
                         "--seed", "5"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("round 3 skipped: 2 of 4 pods are already unavailable"), r.stdout)
        XCTAssertTrue(r.stdout.contains("deleted 2 pod(s) in 5 round(s), 3 round(s) skipped by the blast-radius cap --max-percent 50"),
                      r.stdout)
        let ready = try pod(["list", "-l", "app=slow"]).stdout.split(separator: "\n").filter { $0.contains(" yes ") }
        XCTAssertEqual(ready.count, 2, "half of the Deployment still serves")
    }

    /// experiments/pod-kill-recovery.yaml's own pod step, run by `chaosctl run`: its
    /// `grace-period: 0` must be the grace the server applied (it answers with it).
    func testShippedExperimentPodStepGracePeriodZeroReachesTheServer() throws {
        let experiment = temp.path + "/pod-step.yaml"
        try experimentOfShippedStep("pod-kill-recovery.yaml", step: "kill one api pod", next: "observe", writingTo: experiment)
        XCTAssertTrue(try String(contentsOfFile: experiment, encoding: .utf8).contains("grace-period: 0"))
        var run = cli!
        run.extraEnvironment = ["KUBECONFIG": temp.path + "/kubeconfig", "NAMESPACE": "chaos", "SELECTOR": "app=api"]
        let r = try run.run(["run", "-f", experiment, "--report-dir", temp.path + "/report"], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        // The step's lines are the run's progress (stderr); stdout is the CLI's own.
        XCTAssertFalse(r.stdout.contains("deleted pod"), r.stdout)
        XCTAssertTrue(r.stderr.contains("deleted pod chaos/api-"), r.stderr)
        XCTAssertTrue(r.stderr.contains(", grace period 0s"), "the server must have applied grace 0: \(r.stderr)")
    }

    func testDryRunPrintsAndChangesNothing() throws {
        let before = try pod(["list", "-l", "app=api"]).stdout
        let r = try pod(["kill", "-l", "app=api", "--dry-run", "--seed", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("would delete pod chaos/api-"), r.stdout)
        XCTAssertEqual(try pod(["list", "-l", "app=api"]).stdout, before)
        XCTAssertFalse(try cli.run(["status"]).stdout.contains("pod-kill"))
    }

    func testExitCodes() throws {
        // Blocked by the budget (minAvailable 2 of 2 healthy): 8.
        let blocked = try pod(["evict", "-l", "app=web"])
        XCTAssertEqual(blocked.status, 8, blocked.stdout + blocked.stderr)
        XCTAssertTrue(blocked.stdout.contains("blocked by disruption budget"), blocked.stdout)
        // Nothing matched: 7. Blast radius above the cap: 2. Protected namespace: 2.
        XCTAssertEqual(try pod(["kill", "-l", "app=typo"]).status, 7)
        let cap = try pod(["kill", "-l", "app=api", "--count", "2"])
        XCTAssertEqual(cap.status, 2)
        XCTAssertTrue(cap.stderr.contains("--max-percent 50"), cap.stderr)
        XCTAssertEqual(try pod(["kill", "-n", "kube-system", "-l", "app=dns"]).status, 2)
        // 403 outside the Role's namespace, 401 with a bad token.
        let forbidden = try pod(["kill", "-n", "other", "-l", "app=web"])
        XCTAssertEqual(forbidden.status, 6)
        XCTAssertTrue(forbidden.stderr.contains(#"cannot list resource "pods" in API group "" in the namespace "other""#), forbidden.stderr)
        let unauthorized = try pod(["list", "--context", "stranger"])
        XCTAssertEqual(unauthorized.status, 5)
        XCTAssertTrue(unauthorized.stderr.contains("401 Unauthorized"), unauthorized.stderr)
        XCTAssertEqual(try pod(["list", "--context", "missing"]).status, 2)
    }
}
