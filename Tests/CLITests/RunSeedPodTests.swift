import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl run --seed` with pod steps against the kube-apiserver double of
/// ChaosKubernetesTests (real TLS, real HTTP): the same seed picks the same pods, run after
/// run; a run without --seed prints and records the seed it used, and replaying that seed
/// picks the same pods again. The steps are server-side dry runs, so every run sees the
/// same six pods.
final class RunSeedPodTests: XCTestCase {
    private var temp: TempDir!
    private var cli: Chaosctl!
    private var double: KubeDoubleProcess?

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        let pods: [[String: Any]] = (1...6).map {
            ["namespace": "chaos", "name": "api-\($0)", "labels": ["app": "api"], "phase": "Running", "ready": true,
             "nodeName": "node-1", "replicaSet": NSNull()]
        } + [["namespace": "chaos", "name": "db-1", "labels": ["app": "db"], "phase": "Running", "ready": true,
              "nodeName": "node-1", "replicaSet": NSNull()]]
        let double = try KubeDoubleProcess(directory: temp.path, scenario: [
            "tokens": ["chaos-token": "chaos-agent"],
            "rules": [["user": "chaos-agent", "namespace": "chaos", "resource": "pods", "verbs": ["get", "list", "watch", "delete"]]],
            "pods": pods, "replicaSets": [], "pdbs": [], "kubeletNodes": ["node-1"],
        ])
        self.double = double
        let step = "pod: {action: kill, selector: app=api, count: 2, dry-run: true, kubeconfig: \"\(double.kubeconfig)\"}"
        try choiceExperiment(title: "seeded pods", steps: [step, step])
            .write(toFile: temp.path + "/pods.yaml", atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        double?.stop()
        double = nil
        temp = nil
    }

    /// The pods each run chose, in the order the steps chose them.
    private func run(_ extra: [String]) throws -> (chosen: [String], output: String, reports: String) {
        let reports = temp.path + "/reports-\(UUID().uuidString)"
        let r = try cli.run(["run", temp.path + "/pods.yaml", "--report-dir", reports] + extra, timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        // Steps log through the run's progress lines on stderr; stdout stays the CLI's own.
        XCTAssertFalse(r.stdout.contains("would delete pod "), r.stdout)
        let chosen = r.stderr.split(separator: "\n").filter { $0.contains("would delete pod ") }
            .map { String($0[$0.range(of: "chaos/")!.lowerBound...].prefix { !$0.isWhitespace }) }
        XCTAssertEqual(chosen.count, 4, "two pods in each of two steps: \(r.stderr)")
        return (chosen, r.stdout, reports)
    }

    func testSameSeedChoosesTheSamePods() throws {
        let first = try run(["--seed", "9"]).chosen
        let second = try run(["--seed", "9"]).chosen
        XCTAssertEqual(first, second, "--seed 9 must repeat the run's choices")
        // The steps draw from their own seeds, not one shared sequence restarted per step.
        var seen: Set<[String]> = [first]
        for seed in 10...14 { seen.insert(try run(["--seed", String(seed)]).chosen) }
        XCTAssertGreaterThan(seen.count, 1, "different seeds choose differently: \(seen)")
    }

    func testWithoutSeedTheSeedUsedIsPrintedRecordedAndReplays() throws {
        let unseeded = try run([])
        let line = try XCTUnwrap(unseeded.output.split(separator: "\n").first { $0.contains("--seed ") }, unseeded.output)
        let seed = try XCTUnwrap(line.split(separator: " ").last.flatMap { UInt64($0.trimmingCharacters(in: .punctuationCharacters)) },
                                 String(line))
        let journal = try jsonObject(atPath: unseeded.reports + "/journal.json")
        XCTAssertEqual((journal["seed"] as? NSNumber)?.uint64Value, seed, "journal.json records the seed")
        let markdown = try String(contentsOfFile: unseeded.reports + "/report.md", encoding: .utf8)
        XCTAssertTrue(markdown.contains("--seed \(seed)"), markdown)
        XCTAssertEqual(try run(["--seed", String(seed)]).chosen, unseeded.chosen, "replaying the printed seed")
    }
}
