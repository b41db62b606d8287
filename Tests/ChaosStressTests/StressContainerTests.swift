import ChaosCore
import ChaosStress
import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl stress` against a real dockerd (scripts/docker-engine.sh): the workers join the
/// container's cgroups (the engine's own `docker top` lists them), burn CPU or hold memory
/// there, and are ended by SIGTERM or by `recover` after a SIGKILL; the example experiment
/// runs against a busybox httpd container. A missing engine fails under CI=true.
final class StressContainerTests: StressEngineCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    private func docker(_ args: [String]) -> String {
        runProcess(["/usr/bin/docker"] + args, environment: ["DOCKER_HOST": dockerHost]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testCPUStressRunsInTheContainersCgroupsUntilSIGTERM() throws {
        let id = docker(["inspect", "-f", "{{.Id}}", "chaosctl-web-1"])
        let mainPid = try XCTUnwrap(Int32(docker(["inspect", "-f", "{{.State.Pid}}", "chaosctl-web-1"])))
        let cgroups = try CgroupPlacement.of(pid: mainPid, label: "container")
        let cpuacct = try XCTUnwrap(cgroups.directory(v1Controller: "cpuacct")?.path)
        XCTAssertTrue(cpuacct.contains(id), cpuacct)
        func usage() -> UInt64 {
            UInt64(((try? String(contentsOfFile: cpuacct + "/cpuacct.usage", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }

        let holder = try cli.start(["stress", "cpu", "--container", "chaosctl-web-1", "--docker-host", dockerHost,
                                    "--workers", "2", "--load", "100", "--for", "2m"])
        let workers = appliedWorkers()
        XCTAssertEqual(workers.count, 2)
        for worker in workers {
            XCTAssertEqual(CgroupMembership.of(pid: worker.pid), CgroupMembership.of(pid: mainPid), "worker \(worker.pid) is where the container is")
        }
        // The engine itself counts them among the container's processes.
        let top = docker(["top", "chaosctl-web-1", "-o", "pid"])
        for worker in workers { XCTAssertTrue(top.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == String(worker.pid) }, top) }
        // At least 20% of one core over at least 2 s, charged to the container.
        let before = usage()
        let started = Date()
        XCTAssertTrue(StressTestWait.until(30) { usage() - before >= 400_000_000 && Date().timeIntervalSince(started) >= 2 },
                      "container used \(Double(usage() - before) / 1e9) s of CPU")

        kill(holder.processIdentifier, SIGTERM)
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 143)
        for worker in workers { XCTAssertNil(worker.running) }
        XCTAssertTrue(journal.records().0.isEmpty)
        XCTAssertEqual(docker(["inspect", "-f", "{{.State.Running}}", "chaosctl-web-1"]), "true", "the container itself is untouched")
    }

    func testMemoryStressIsChargedToTheContainerAndReleasedByRecover() throws {
        let mainPid = try XCTUnwrap(Int32(docker(["inspect", "-f", "{{.State.Pid}}", "chaosctl-web-1"])))
        let memory = try XCTUnwrap(try CgroupPlacement.of(pid: mainPid, label: "container").directory(v1Controller: "memory")?.path)
        func usage() -> UInt64 {
            UInt64(((try? String(contentsOfFile: memory + "/memory.usage_in_bytes", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        let size: UInt64 = 48 << 20
        let before = usage()
        let holder = try cli.start(["stress", "memory", "--container", "chaosctl-web-1", "--docker-host", dockerHost, "--size", "48MiB", "--for", "10m"])
        let worker = try XCTUnwrap(appliedWorkers().first)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(worker.running?.residentBytes), size)
        XCTAssertGreaterThanOrEqual(usage(), before + size * 9 / 10, "the container's memory cgroup is charged for the held memory")

        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        XCTAssertNotNil(worker.running)
        let recovered = try cli.run(["recover"])
        XCTAssertEqual(recovered.status, 0, recovered.stderr)
        XCTAssertNil(worker.running)
        XCTAssertTrue(StressTestWait.until { usage() < before + (16 << 20) }, "released: \(usage()) vs \(before) before")
    }

    func testUnknownContainerIsRefusedBeforeAnythingStarts() throws {
        let r = try cli.run(["stress", "cpu", "--container", "no-such-container", "--docker-host", dockerHost, "--for", "5s"])
        XCTAssertEqual(r.status, 7, r.stderr)
        XCTAssertTrue(r.stderr.contains("no-such-container"), r.stderr)
        XCTAssertEqual(runningWorkersOfThisBuild(), [])
        XCTAssertTrue(journal.records().0.isEmpty)
    }

    /// experiments/container-cpu-pressure.yaml, shortened through its variables, against a
    /// busybox httpd limited to half a CPU: the stress step runs and is reverted, the probes
    /// measured the `during` phase, and nothing is left behind.
    func testExampleExperimentRunsAgainstAnHTTPContainer() throws {
        let port = 19_000 + Int(getpid() % 1000)
        let name = "stress-web-\(getpid())"
        let web = runProcess(["/usr/bin/docker", "run", "-d", "--name", name, "--cpus", "0.5", "--network", "host",
                              "chaosctl-target:latest", "/bin/busybox", "sh", "-c",
                              "mkdir -p /www && echo ok > /www/index.html && exec /bin/busybox httpd -f -p 127.0.0.1:\(port) -h /www"],
                             environment: ["DOCKER_HOST": dockerHost])
        XCTAssertEqual(web.status, 0, web.output)
        XCTAssertTrue(StressTestWait.until { runProcess(["/usr/bin/curl", "-sf", "http://127.0.0.1:\(port)/"]).status == 0 })
        var run = cli!
        run.extraEnvironment = ["DOCKER_HOST": dockerHost, "CONTAINER": name, "TARGET_URL": "http://127.0.0.1:\(port)",
                                "BEFORE": "2s", "AFTER": "2s", "PRESSURE": "3s", "P95_MS": "2000"]
        let r = try run.run(["run", Self.root + "/experiments/container-cpu-pressure.yaml", "--report-dir", temp.path + "/report"], timeout: 120)
        // 0: the SLOs held; 1: one was missed (a loaded machine may miss a latency limit). Either
        // way the run itself completed.
        XCTAssertTrue([0, 1].contains(r.status), r.stdout + r.stderr)
        let report = try XCTUnwrap(try jsonObject(atPath: temp.path + "/report/journal.json")["report"] as? [String: Any])
        let phases = try XCTUnwrap((report["analysis"] as? [String: Any])?["phases"] as? [[String: Any]])
        let during = try XCTUnwrap(phases.first { $0["phase"] as? String == "during" })
        XCTAssertGreaterThan(during["count"] as? Int ?? 0, 0, "\(during)")
        // For the record (not asserted: a loaded machine shifts latencies): p50 before and during.
        let pre = phases.first { $0["phase"] as? String == "pre" }
        func p50(_ phase: [String: Any]?) -> Any { (phase?["latency"] as? [String: Any])?["p50Milliseconds"] ?? "?" }
        print("container-cpu-pressure: p50 pre \(p50(pre)) ms, during \(p50(during)) ms")
        XCTAssertTrue(journal.records().0.isEmpty)
        XCTAssertEqual(runningWorkersOfThisBuild(), [])
    }
}
