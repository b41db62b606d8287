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
            container: {action: crash, label: app=expweb-\(getpid()), count: 1, wait-recovered: 30s, docker-host: "\(dockerHost)"}
          - wait: 1s
          - name: pause web
            container: {action: pause, label: app=expweb-\(getpid()), all: true, docker-host: "\(dockerHost)"}
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

    /// `run --seed` reaches the container steps: the same seed picks the same containers of
    /// six (dry runs, so every run sees all six running); other seeds can pick others.
    func testSameSeedChoosesTheSameContainers() throws {
        try startEngine(containers: 6)
        let cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        let step = "container: {action: kill, label: app=web, count: 2, dry-run: true, docker-host: \"\(dockerHost)\"}"
        let file = temp.path + "/seeded.yaml"
        try choiceExperiment(title: "seeded containers", steps: [step, step]).write(toFile: file, atomically: true, encoding: .utf8)
        func chosen(_ seed: Int) throws -> [String] {
            let r = try cli.run(["run", file, "--seed", String(seed), "--report-dir", temp.path + "/report-\(seed)-\(UUID().uuidString)"], timeout: 60)
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            // Steps log through the run's progress lines on stderr; stdout stays the CLI's own.
            XCTAssertFalse(r.stdout.contains("would kill"), r.stdout)
            let names = r.stderr.split(separator: "\n").filter { $0.contains("would kill chaosctl-web-") }
                .compactMap { $0.split(separator: " ").first { $0.hasPrefix("chaosctl-web-") }.map(String.init) }
            XCTAssertEqual(names.count, 4, "two containers in each of two steps: \(r.stderr)")
            return names
        }
        let first = try chosen(9)
        XCTAssertEqual(try chosen(9), first, "--seed 9 must repeat the choice")
        var seen: Set<[String]> = [first]
        for seed in 10...13 { seen.insert(try chosen(seed)) }
        XCTAssertGreaterThan(seen.count, 1, "different seeds choose differently: \(seen)")

        // `container kill` without --seed prints the seed it drew; replaying it repeats the pick.
        func direct(_ extra: [String]) throws -> (names: [String], output: String) {
            let r = try cli.run(["container", "kill", "--label", "app=web", "--count", "3", "--dry-run", "-H", dockerHost] + extra)
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            let names = r.stdout.split(separator: "\n").filter { $0.hasPrefix("would kill ") }.map { String($0.split(separator: " ")[2]) }
            XCTAssertEqual(names.count, 3, r.stdout)
            return (names, r.stdout)
        }
        let unseeded = try direct([])
        let seedText = try XCTUnwrap(unseeded.output.range(of: #"seed [0-9]+"#, options: .regularExpression).map { unseeded.output[$0].dropFirst(5) },
                                     unseeded.output)
        XCTAssertEqual(try direct(["--seed", String(seedText)]).names, unseeded.names)
    }
}
