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
    private var server: Process?

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        let port = try startDouble()
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
        contexts:
        - name: agent
          context: {cluster: double, user: agent, namespace: chaos}
        """.write(toFile: temp.path + "/kubeconfig", atomically: true, encoding: .utf8)
        try """
        title: seeded pods
        steady_state:
          interval: 100ms
          before: 200ms
          after: 500ms
          healthy_after: 1
          probes:
            - name: fine
              command: "true"
        method:
          - name: first kill
            pod: {action: kill, selector: app=api, count: 2, dry-run: true, kubeconfig: "\(temp.path)/kubeconfig"}
          - name: second kill
            pod: {action: kill, selector: app=api, count: 2, dry-run: true, kubeconfig: "\(temp.path)/kubeconfig"}
        """.write(toFile: temp.path + "/pods.yaml", atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        if let server, server.isRunning {
            kill(server.processIdentifier, SIGTERM)
            server.waitUntilExit()
        }
        server = nil
        temp = nil
    }

    /// The double needs a CA-signed serving certificate for 127.0.0.1.
    private func startDouble() throws -> Int {
        let certificates = runProcess(["/bin/sh", "-c", """
        set -e; cd '\(temp.path)'
        printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=ca 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=apiserver 2>/dev/null
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile san.ext 2>/dev/null
        """])
        guard certificates.status == 0 else { return try fixtureFailed("openssl could not make certificates: \(certificates.output)") }
        let pods: [[String: Any]] = (1...6).map {
            ["namespace": "chaos", "name": "api-\($0)", "labels": ["app": "api"], "phase": "Running", "ready": true,
             "nodeName": "node-1", "replicaSet": NSNull()]
        } + [["namespace": "chaos", "name": "db-1", "labels": ["app": "db"], "phase": "Running", "ready": true,
              "nodeName": "node-1", "replicaSet": NSNull()]]
        let scenario: [String: Any] = [
            "tokens": ["chaos-token": "chaos-agent"],
            "rules": [["user": "chaos-agent", "namespace": "chaos", "resource": "pods", "verbs": ["get", "list", "watch", "delete"]]],
            "pods": pods, "replicaSets": [], "pdbs": [], "kubeletNodes": ["node-1"],
        ]
        try JSONSerialization.data(withJSONObject: scenario).write(to: URL(fileURLWithPath: temp.path + "/scenario.json"))
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ChaosKubernetesTests/Fixtures/kube_apiserver_double.py").standardizedFileURL.path
        let p = Process()
        let out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", fixture, "--cert", temp.path + "/server.pem", "--key", temp.path + "/server.key",
                       "--client-ca", temp.path + "/ca.pem", "--scenario", temp.path + "/scenario.json"]
        p.standardOutput = out
        try p.run()
        server = p
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        guard line.hasPrefix("READY "), let port = Int(line.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return try fixtureFailed("kube-apiserver double did not start: \(line)")
        }
        return port
    }

    private func fixtureFailed(_ message: String) throws -> Int {
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message) }
        throw XCTSkip(message)
    }

    /// The pods each run chose, in the order the steps chose them.
    private func run(_ extra: [String]) throws -> (chosen: [String], output: String, reports: String) {
        let reports = temp.path + "/reports-\(UUID().uuidString)"
        let r = try cli.run(["run", temp.path + "/pods.yaml", "--report-dir", reports] + extra, timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let chosen = r.stdout.split(separator: "\n").filter { $0.contains("would delete pod ") }
            .map { String($0[$0.range(of: "chaos/")!.lowerBound...].prefix { !$0.isWhitespace }) }
        XCTAssertEqual(chosen.count, 4, "two pods in each of two steps: \(r.stdout)")
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
