import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl run` with container steps against a real dockerd (scripts/docker-engine.sh):
/// a busybox httpd with `restart: always` on host networking is crashed and paused while
/// the probe loop watches it; the engine is inspected afterwards.
final class ContainerExperimentTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    var temp: TempDir!
    var engineDir: String!
    var dockerHost: String { "unix://\(engineDir!)/docker.sock" }

    override func tearDown() {
        if let engineDir { _ = runProcess(["/bin/bash", Self.root + "/scripts/docker-engine.sh", "stop"], environment: ["CHAOSCTL_DOCKER_DIR": engineDir]) }
        temp = nil
    }

    /// Start a private dockerd with `containers` labelled busybox containers, or skip.
    private func startEngine(containers: Int = 0) throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/dockerd"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/docker") else {
            throw fixtureUnavailable("needs root and docker.io (scripts/install-deps.sh)")
        }
        if ProcessInfo.processInfo.environment["CHAOSCTL_SKIP_DOCKER_TESTS"] == "1" { throw fixtureUnavailable("CHAOSCTL_SKIP_DOCKER_TESTS=1") }
        temp = try TempDir()
        engineDir = "/tmp/chaosctl-docker-exp-\(getpid())"
        let started = runProcess(["/bin/bash", Self.root + "/scripts/docker-engine.sh", "start", String(containers)], environment: ["CHAOSCTL_DOCKER_DIR": engineDir])
        guard started.0 == 0, started.1.contains("ENGINE_READY") else {
            throw FixtureFailure(reason: "engine did not start: \(started.1.suffix(500))")
        }
    }

    func testNetemAndTbfTargetAContainerByName() throws {
        try startEngine(containers: 1)
        let cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        let pid = runProcess(["/usr/bin/docker", "inspect", "-f", "{{.State.Pid}}", "chaosctl-web-1"], environment: ["DOCKER_HOST": dockerHost]).1
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let holder = try cli.start(["tbf", "apply", "--dev", "lo", "--container", "chaosctl-web-1", "--docker-host", dockerHost,
                                    "--rate", "1mbit", "--burst", "32kb", "--latency", "50ms", "--for", "30s"])
        func qdisc() -> String { runProcess(["/usr/bin/nsenter", "-t", pid, "-n", "tc", "qdisc", "show", "dev", "lo"]).1 }
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, !qdisc().contains("ca05:") { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(qdisc().contains("tbf ca05: root"), qdisc())
        kill(holder.processIdentifier, SIGTERM)
        holder.waitUntilExit()
        XCTAssertFalse(qdisc().contains("ca05:"), "SIGTERM must revert inside the container's namespace")
        let missing = try cli.run(["netem", "apply", "--dev", "lo", "--container", "no-such-container", "--docker-host", dockerHost,
                                   "--delay", "10ms", "--for", "1s"])
        XCTAssertEqual(missing.status, 7, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("no-such-container"), missing.stderr)
    }

    func testCrashAndPauseStepsAreTimedAndLeaveTheContainerRunning() throws {
        try startEngine()

        let port = 18_000 + Int(getpid() % 1000)
        let web = runProcess(["/usr/bin/docker", "run", "-d", "--name", "exp-web-\(getpid())", "--label", "app=expweb-\(getpid())",
                         "--restart", "always", "--network", "host", "chaosctl-target:latest", "/bin/busybox", "sh", "-c",
                         "mkdir -p /www && echo ok > /www/index.html && exec /bin/busybox httpd -f -p 127.0.0.1:\(port) -h /www"],
                        environment: ["DOCKER_HOST": dockerHost])
        XCTAssertEqual(web.0, 0, web.1)
        let file = temp.path + "/containers.yaml"
        try """
        title: container crash and pause
        steady_state:
          interval: 100ms
          before: 1s
          after: 2s
          probes:
            - name: web
              http: {url: "http://127.0.0.1:\(port)/", timeout: 500ms}
        slo:
          - recover_within: 20s
        method:
          - name: crash web
            container: {action: crash, label: app=expweb-\(getpid()), count: 1, wait-recovered: 30s, host: "\(dockerHost)"}
          - wait: 1s
          - name: pause web
            container: {action: pause, label: app=expweb-\(getpid()), all: true, host: "\(dockerHost)"}
            duration: 1500ms
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        // The steady state must hold first: wait until httpd answers.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, runProcess(["/usr/bin/curl", "-sf", "http://127.0.0.1:\(port)/"]).0 != 0 { Thread.sleep(forTimeInterval: 0.1) }

        let r = try cli.run(["run", file, "--report-dir", temp.path + "/report"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let journal = try jsonObject(atPath: temp.path + "/report/journal.json")
        let report = try XCTUnwrap(journal["report"] as? [String: Any])
        let analysis = try XCTUnwrap(report["analysis"] as? [String: Any])
        let recoveries = try XCTUnwrap(analysis["recoveries"] as? [[String: Any]])
        XCTAssertEqual(recoveries.count, 2, "\(recoveries)")
        // The crash really took the service down: the probes saw failures during the method.
        let phases = try XCTUnwrap(analysis["phases"] as? [[String: Any]])
        let during = try XCTUnwrap(phases.first { $0["phase"] as? String == "during" })
        XCTAssertGreaterThan(during["failures"] as? Int ?? 0, 0, "\(during)")

        let state = runProcess(["/usr/bin/docker", "inspect", "-f", "{{.State.Running}} {{.State.Paused}} {{.RestartCount}}",
                                "exp-web-\(getpid())"], environment: ["DOCKER_HOST": dockerHost])
        XCTAssertEqual(state.1.trimmingCharacters(in: .whitespacesAndNewlines), "true false 1", "running, not paused, restarted once by the engine")
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }
}
