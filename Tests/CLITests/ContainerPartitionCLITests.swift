import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl container disconnect|limit` and `block --container` through the real binary
/// against a real dockerd (scripts/docker-engine.sh): bad input refused with its exit code and
/// nothing changed, dry runs, `status`, `recover` after SIGKILL, the block inside the
/// container's network namespace, and the Redis partition example experiment.
/// Every check reads the engine (`docker inspect`) or the kernel (cgroup files, nft).
class ContainerPartitionCLITests: XCTestCase {
    /// The engine script, its socket's name, its state-dir variable and the tools it needs; the
    /// Podman subclass swaps it. The docker CLI drives both (Podman serves the compat API).
    class var engine: (script: String, socket: String, dirVariable: String, tools: [String]) {
        ("docker-engine.sh", "docker.sock", "CHAOSCTL_DOCKER_DIR", ["/usr/sbin/dockerd", "/usr/bin/docker"])
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    var temp: TempDir!
    var engineDir: String?
    var cli: Chaosctl!
    var dockerHost: String { "unix://\(engineDir!)/\(Self.engine.socket)" }
    /// The test's network (with a subnet), its address prefix, and a container on it.
    var network = ""
    var prefix = ""
    var redis = ""

    override func setUpWithError() throws {
        for tool in Self.engine.tools + ["/usr/bin/docker"] where getuid() != 0 || !FileManager.default.isExecutableFile(atPath: tool) {
            throw fixtureUnavailable("needs root and \(tool) (scripts/install-deps.sh)")
        }
        if ProcessInfo.processInfo.environment["CHAOSCTL_SKIP_DOCKER_TESTS"] == "1" { throw fixtureUnavailable("CHAOSCTL_SKIP_DOCKER_TESTS=1") }
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        engineDir = "/tmp/chaosctl-part-\(Self.engine.socket.prefix(6))-\(getpid())"
        let started = runProcess(["/bin/bash", Self.root + "/scripts/" + Self.engine.script, "start", "0"],
                                 environment: [Self.engine.dirVariable: engineDir!])
        guard started.0 == 0, started.1.contains("ENGINE_READY") else {
            throw FixtureFailure(reason: "engine did not start: \(started.1.suffix(500))")
        }
        prefix = "10.\(100 + Int.random(in: 0..<100)).\(Int.random(in: 0..<256))"
        network = "backend-\(getpid())"
        redis = "redis-\(getpid())"
        try docker(["network", "create", "--subnet", prefix + ".0/24", network])
        // A TCP listener on 6379 standing in for Redis (no Redis image offline).
        try docker(["run", "-d", "--name", redis, "--network", network, "--network-alias", "redis", "--ip", prefix + ".10",
                    "chaosctl-target:latest", "/bin/busybox", "httpd", "-f", "-p", "6379", "-h", "/"])
    }

    override func tearDown() {
        if let engineDir {
            // dockerd leaves a network's host bridge behind when it stops: remove the networks first.
            _ = runProcess(["/usr/bin/docker", "rm", "-f", redis], environment: ["DOCKER_HOST": dockerHost])
            for net in [network, "other-\(getpid())"] { _ = runProcess(["/usr/bin/docker", "network", "rm", net], environment: ["DOCKER_HOST": dockerHost]) }
            _ = runProcess(["/bin/bash", Self.root + "/scripts/" + Self.engine.script, "stop"], environment: [Self.engine.dirVariable: engineDir])
        }
        temp = nil
    }

    @discardableResult
    private func docker(_ args: [String]) throws -> String {
        let r = runProcess(["/usr/bin/docker"] + args, environment: ["DOCKER_HOST": dockerHost])
        guard r.0 == 0 else { throw FixtureFailure(reason: "docker \(args): \(r.1)") }
        return r.1.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The container's endpoint on the network ("aliases address"), or "" when it is off it.
    private func endpoint() throws -> String {
        try docker(["inspect", "-f", "{{with index .NetworkSettings.Networks \"\(network)\"}}{{range .Aliases}}{{.}} {{end}}{{.IPAddress}}{{end}}", redis])
    }

    /// "memory-limit cpu-quota cpu-shares" from the container's cgroup v1 files: what the kernel
    /// enforces (Podman's inspect does not show an update).
    private func limits() throws -> String {
        let pid = try docker(["inspect", "-f", "{{.State.Pid}}", redis])
        let table = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
        func value(_ controller: String, _ file: String) throws -> String {
            for line in table.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 2).map(String.init)
                guard parts.count == 3, parts[1].split(separator: ",").contains(Substring(controller)) else { continue }
                return try String(contentsOfFile: "/sys/fs/cgroup/\(parts[1])\(parts[2])/\(file)", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            throw FixtureFailure(reason: "pid \(pid) has no v1 \(controller) cgroup: \(table)")
        }
        return [try value("memory", "memory.limit_in_bytes"), try value("cpu", "cpu.cfs_quota_us"), try value("cpu", "cpu.shares")]
            .joined(separator: " ")
    }

    private func waitFor(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while try !condition() {
            guard Date() < deadline else { return XCTFail("timed out waiting for \(what)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func testBadInputIsRefusedAndChangesNothing() throws {
        let before = (try endpoint(), try limits())
        try docker(["network", "create", "other-\(getpid())"])
        let cases: [([String], Int32, String)] = [
            (["container", "disconnect", "no-such-container", "--network", network], 7, "no-such-container"),
            (["container", "disconnect", redis, "--network", "other-\(getpid())"], 8, "not on network other-\(getpid())"),
            (["container", "disconnect", redis, "--network", "no-such-net"], 7, "no-such-net"),
            (["container", "disconnect", redis], 2, "--network"),
            (["container", "disconnect", redis, "--name", redis, "--network", network], 2, "as NAME or as --name"),
            (["container", "limit", redis], 2, "--cpus, --cpu-shares or --memory"),
            (["container", "limit", redis, "--cpus", "0"], 2, "--cpus: '0'"),
            (["container", "limit", redis, "--cpus=-1"], 2, "--cpus: '-1'"),
            (["container", "limit", redis, "--cpu-shares", "0"], 2, "--cpu-shares: '0'"),
            (["container", "limit", redis, "--memory", "1MiB"], 2, "--memory: '1MiB'"),
            (["container", "limit", redis, "--memory", "lots"], 2, "--memory: 'lots'"),
            (["container", "limit", "no-such-container", "--cpus", "0.5"], 7, "no-such-container"),
        ]
        for (args, status, needle) in cases {
            let r = try cli.run(args + ["-H", dockerHost, "--for", "30s"])
            XCTAssertEqual(r.status, status, "\(args): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(needle), "\(args): '\(needle)' not in: \(r.stderr)")
        }
        XCTAssertEqual(try endpoint(), before.0)
        XCTAssertEqual(try limits(), before.1)
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    func testDryRunChangesNothing() throws {
        let before = (try endpoint(), try limits())
        let d = try cli.run(["container", "disconnect", redis, "--network", network, "--for", "30s", "--dry-run", "-H", dockerHost])
        XCTAssertEqual(d.status, 0, d.stderr)
        XCTAssertTrue(d.stdout.contains("would disconnect \(redis)") && d.stdout.contains("aliases redis, address \(prefix).10"), d.stdout)
        let l = try cli.run(["container", "limit", redis, "--cpus", "0.5", "--memory", "64MiB", "--dry-run", "-H", dockerHost])
        XCTAssertEqual(l.status, 0, l.stderr)
        XCTAssertTrue(l.stdout.contains("would limit \(redis)") && l.stdout.contains("CpuQuota 50000"), l.stdout)
        XCTAssertEqual(try endpoint(), before.0)
        XCTAssertEqual(try limits(), before.1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.stateDir + "/events.jsonl"))
    }

    /// Both faults held by chaosctl processes that are SIGKILLed: the container stays
    /// partitioned and limited, `status` shows both, `recover` undoes both.
    func testRecoverAfterSigkillReconnectsAndRestores() throws {
        let before = (try endpoint(), try limits())
        XCTAssertEqual(before.0, "redis \(String(try docker(["inspect", "-f", "{{.Id}}", redis]).prefix(12))) \(prefix).10")
        let partition = try cli.start(["container", "disconnect", redis, "--network", network, "--for", "60s", "-H", dockerHost])
        try waitFor("the disconnect") { try endpoint().isEmpty }
        let limit = try cli.start(["container", "limit", redis, "--cpus", "0.5", "--memory", "64MiB", "--for", "60s", "-H", dockerHost])
        try waitFor("the limit") { try limits().hasPrefix("\(64 << 20) 50000") }

        let status = try cli.run(["status"])
        XCTAssertTrue(status.stdout.contains("container-disconnect") && status.stdout.contains("container-limit"), status.stdout)
        for p in [partition, limit] {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        XCTAssertEqual(try endpoint(), "", "still partitioned: nobody reverted")

        let recover = try cli.run(["recover"])
        XCTAssertEqual(recover.status, 0, recover.stdout + recover.stderr)
        XCTAssertEqual(try endpoint(), before.0, "same aliases and address")
        let restored = try limits().split(separator: " ")
        XCTAssertEqual(restored[0], "9223372036854771712", "no memory limit (the kernel's maximum)")
        XCTAssertEqual(restored[1], "-1", "no CPU quota")
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    /// experiments/redis-partition.yaml as shipped: the probe fails while Redis is off its
    /// network and recovers after the reconnect; SIGTERM is not needed, the step ends it.
    func testRedisPartitionExampleExperiment() throws {
        let address = "\(prefix).10:6379"
        try waitFor("the listener") { runProcess(["/bin/bash", "-c", "exec 3<>/dev/tcp/\(prefix).10/6379"]).0 == 0 }
        var env = cli!
        env.extraEnvironment = ["REDIS_CONTAINER": redis, "REDIS_NETWORK": network, "REDIS_ADDRESS": address,
                                "DOCKER_HOST": dockerHost, "PARTITION_FOR": "2s"]
        let r = try env.run(["run", Self.root + "/experiments/redis-partition.yaml", "--report-dir", temp.path + "/report"], timeout: 90)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let journal = try jsonObject(atPath: temp.path + "/report/journal.json")
        let analysis = try XCTUnwrap((journal["report"] as? [String: Any])?["analysis"] as? [String: Any])
        let phases = try XCTUnwrap(analysis["phases"] as? [[String: Any]])
        let during = try XCTUnwrap(phases.first { $0["phase"] as? String == "during" })
        XCTAssertGreaterThan(during["failures"] as? Int ?? 0, 0, "the partition cut Redis off: \(during)")
        let recoveries = try XCTUnwrap(analysis["recoveries"] as? [[String: Any]])
        XCTAssertEqual(recoveries.count, 1, "\(recoveries)")
        XCTAssertTrue(try endpoint().hasSuffix("\(prefix).10"), "reconnected at its address")
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    /// `block --container`: the table goes into the container's network namespace (found
    /// through the engine's `State.Pid`): `nft list ruleset` there shows chaosctl's table beside
    /// what the engine keeps there (dockerd: its embedded-DNS `ip nat` table), then exactly the ruleset of
    /// before; connects to the container's port are reset while it holds and succeed after
    /// the SIGTERM revert.
    func testBlockInTheContainersNamespaceResetsConnectsUntilReverted() throws {
        let pid = try docker(["inspect", "-f", "{{.State.Pid}}", redis])
        func ruleset() -> String {
            runProcess(["/usr/bin/nsenter", "-t", pid, "-n", "/usr/sbin/nft", "list", "ruleset"]).output
                .replacingOccurrences(of: " packets [0-9]+ bytes [0-9]+", with: "", options: .regularExpression)
        }
        func tables() -> [String] { ruleset().split(separator: "\n").filter { $0.hasPrefix("table ") }.map(String.init) }
        func connects() -> Bool { runProcess(["/bin/bash", "-c", "exec 3<>/dev/tcp/\(prefix).10/6379"]).status == 0 }
        try waitFor("the listener") { connects() }
        let before = ruleset()
        XCTAssertFalse(before.contains("chaosctl"), before)

        let block = try cli.start(["block", "--port", "6379", "--direction", "ingress", "--reject", "--container", redis,
                                   "-H", dockerHost, "--for", "60s"])
        try waitFor("the block table") { ruleset().contains("table inet chaosctl_block_") }
        let added = tables().filter { !before.contains($0) }
        XCTAssertEqual(added.count, 1, ruleset())
        XCTAssertTrue(added.first?.hasPrefix("table inet chaosctl_block_") == true, ruleset())
        XCTAssertTrue(ruleset().contains("tcp dport 6379") && ruleset().contains("reject with tcp reset"), ruleset())
        XCTAssertFalse(connects(), "the connect is reset while the block holds")
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("block"))

        kill(block.processIdentifier, SIGTERM)
        block.waitUntilExit()
        XCTAssertEqual(ruleset(), before, "the revert deleted chaosctl's table only")
        XCTAssertTrue(connects(), "connects succeed after the revert")
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }
}

/// The same binary against a real rootful Podman 4.3 (scripts/podman-engine.sh, runc, cgroupfs),
/// driven by the docker CLI over its compatible API: every test above (restated: Linux test
/// discovery lists only the methods a class declares). Its setup used
/// to hang (podman run's conmon kept the socket Foundation's Process watches): see
/// podman-engine.sh's close_inherited_descriptors.
final class PodmanContainerPartitionCLITests: ContainerPartitionCLITests {
    override class var engine: (script: String, socket: String, dirVariable: String, tools: [String]) {
        ("podman-engine.sh", "podman.sock", "CHAOSCTL_PODMAN_DIR", ["/usr/bin/podman", "/usr/bin/conmon", "/usr/sbin/runc"])
    }

    override func testBadInputIsRefusedAndChangesNothing() throws { try super.testBadInputIsRefusedAndChangesNothing() }
    override func testDryRunChangesNothing() throws { try super.testDryRunChangesNothing() }
    override func testRecoverAfterSigkillReconnectsAndRestores() throws { try super.testRecoverAfterSigkillReconnectsAndRestores() }
    override func testRedisPartitionExampleExperiment() throws { try super.testRedisPartitionExampleExperiment() }
    override func testBlockInTheContainersNamespaceResetsConnectsUntilReverted() throws {
        try super.testBlockInTheContainersNamespaceResetsConnectsUntilReverted()
    }
}
