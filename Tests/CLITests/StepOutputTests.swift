import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl run` with a pod step (the kube-apiserver double, server-side dry run), a
/// container step (the scripted Podman engine of ContainerCommandTests, dry run) and a tbf
/// step (on `lo` of a network namespace the test creates): the steps' lines go to the run's
/// progress on stderr and into no stdout line; stdout holds only what the CLI itself says.
final class StepOutputTests: XCTestCase {
    private var temp: TempDir!
    private var double: KubeDoubleProcess?
    private var engine: FakePodmanEngine?
    private var netns: String?

    override func tearDown() {
        double?.stop()
        engine?.stop()
        if let netns { _ = runProcess(["/usr/sbin/ip", "netns", "del", netns]) }
        temp = nil
    }

    func testStepsWriteNothingToStdout() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") else {
            throw fixtureUnavailable("needs root and iproute2 for the test's network namespace")
        }
        temp = try TempDir()
        let double = try KubeDoubleProcess(directory: temp.path, scenario: [
            "tokens": ["chaos-token": "chaos-agent"],
            "rules": [["user": "chaos-agent", "namespace": "chaos", "resource": "pods", "verbs": ["get", "list", "watch", "delete"]]],
            "pods": (1...4).map { ["namespace": "chaos", "name": "api-\($0)", "labels": ["app": "api"], "phase": "Running",
                                   "ready": true, "nodeName": "node-1", "replicaSet": NSNull()] as [String: Any] }
                + [["namespace": "chaos", "name": "db-1", "labels": ["app": "db"], "phase": "Running", "ready": true,
                    "nodeName": "node-1", "replicaSet": NSNull()]],
            "replicaSets": [], "pdbs": [], "kubeletNodes": ["node-1"],
        ])
        self.double = double
        let engine = try FakePodmanEngine(directory: temp.path)
        self.engine = engine
        let socket = engine.socket
        let netns = "chsteps\(getpid())"
        self.netns = netns
        let made = runProcess(["/usr/sbin/ip", "netns", "add", netns])
        XCTAssertEqual(made.status, 0, made.output)

        let file = temp.path + "/steps.yaml"
        try choiceExperiment(title: "steps print nothing", steps: [
            "pod: {action: kill, selector: app=api, count: 1, dry-run: true, kubeconfig: \"\(double.kubeconfig)\"}",
            "container: {action: kill, label: app=web, dry-run: true, docker-host: \"unix://\(socket)\"}",
            "tbf: {dev: lo, netns: \(netns), rate: 1mbit, burst: 10k, latency: 50ms}\n    duration: 300ms",
        ]).write(toFile: file, atomically: true, encoding: .utf8)
        let cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        let r = try cli.run(["run", file, "--seed", "3", "--report-dir", temp.path + "/report"], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)

        for line in ["would delete pod chaos/api-", "would kill web-1", "dry run: kill on", "[dry run] kill via"] {
            XCTAssertTrue(r.stderr.contains(line), "'\(line)' belongs to the run's progress: \(r.stderr)")
            XCTAssertFalse(r.stdout.contains(line), "'\(line)' must not reach stdout: \(r.stdout)")
        }
        XCTAssertTrue(r.stderr.contains("tbf"), r.stderr)
        // What is on stdout is the CLI's own: the seed, the verdicts, where the reports are.
        XCTAssertTrue(r.stdout.hasPrefix("seed 3 "), r.stdout)
        XCTAssertTrue(r.stdout.contains("Reports: "), r.stdout)
        let steps = try XCTUnwrap((try jsonObject(atPath: temp.path + "/report/journal.json")["report"] as? [String: Any])?["steps"]
                                  as? [[String: Any]])
        XCTAssertEqual(steps.map { $0["succeeded"] as? Bool }, [true, true, true], "\(steps)")
        XCTAssertFalse(runProcess(["/usr/sbin/tc", "-n", netns, "qdisc", "show", "dev", "lo"]).output.contains("ca05:"))
    }
}
