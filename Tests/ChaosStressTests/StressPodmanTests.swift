import ChaosCore
import ChaosStress
import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl stress --container` against a real rootful Podman 4 (scripts/podman-engine.sh,
/// runc, cgroupfs): the workers join the container's cgroups (`/libpod_parent/libpod-ID`), the
/// container's own cpuacct and memory counters are charged for them, and they are ended by
/// SIGTERM, or by `recover` after a SIGKILL, which gives the memory back. A missing engine
/// fails under CI=true.
final class StressPodmanTests: StressEngineCase {
    override class var kind: StressTestEngine.Kind { .podman }
    static let container = "chaosctl-web-1"

    /// `podman` against this test's private engine (its configuration files select the store).
    private func podman(_ args: [String]) -> String {
        runProcess(["/usr/bin/podman"] + args, environment: ["CONTAINERS_CONF": engine!.dir + "/containers.conf",
                                                            "CONTAINERS_STORAGE_CONF": engine!.dir + "/storage.conf"])
            .output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The container's main process and its v1 cgroup directory of `controller`.
    private func containerCgroup(_ controller: String) throws -> (pid: Int32, path: String) {
        let id = podman(["inspect", "-f", "{{.Id}}", Self.container])
        let pid = try XCTUnwrap(Int32(podman(["inspect", "-f", "{{.State.Pid}}", Self.container])), "no main pid for \(Self.container)")
        let path = try XCTUnwrap(try CgroupPlacement.of(pid: pid, label: "container").directory(v1Controller: controller)?.path)
        XCTAssertTrue(path.contains("libpod-\(id)"), path)
        return (pid, path)
    }

    private func counter(_ file: String) -> UInt64 {
        UInt64(((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    func testCPUStressIsChargedToThePodmanContainerUntilSIGTERM() throws {
        let (mainPid, cpuacct) = try containerCgroup("cpuacct")
        let holder = try cli.start(["stress", "cpu", "--container", Self.container, "--docker-host", dockerHost,
                                    "--workers", "2", "--load", "100", "--for", "2m"])
        let workers = appliedWorkers()
        XCTAssertEqual(workers.count, 2)
        for worker in workers {
            XCTAssertEqual(CgroupMembership.of(pid: worker.pid), CgroupMembership.of(pid: mainPid), "worker \(worker.pid) is where the container is")
        }
        // At least 20% of one core over at least 2 s, charged to the container's cgroup.
        let before = counter(cpuacct + "/cpuacct.usage")
        let started = Date()
        XCTAssertTrue(StressTestWait.until(30) { self.counter(cpuacct + "/cpuacct.usage") - before >= 400_000_000 && Date().timeIntervalSince(started) >= 2 },
                      "container used \(Double(counter(cpuacct + "/cpuacct.usage") - before) / 1e9) s of CPU")
        XCTAssertGreaterThan(workers.compactMap { $0.running?.cpuTicks }.reduce(0, +), 0, "the workers' own CPU time")

        kill(holder.processIdentifier, SIGTERM)
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 143)
        for worker in workers { XCTAssertNil(worker.running) }
        XCTAssertTrue(journal.records().0.isEmpty)
        XCTAssertEqual(podman(["inspect", "-f", "{{.State.Running}}", Self.container]), "true", "the container itself is untouched")
    }

    func testMemoryStressIsChargedToThePodmanContainerAndReleasedByRecover() throws {
        let (_, memory) = try containerCgroup("memory")
        let usage = { self.counter(memory + "/memory.usage_in_bytes") }
        let size: UInt64 = 48 << 20
        let before = usage()
        let holder = try cli.start(["stress", "memory", "--container", Self.container, "--docker-host", dockerHost, "--size", "48MiB", "--for", "10m"])
        let worker = try XCTUnwrap(appliedWorkers().first)
        XCTAssertTrue(StressTestWait.until(30) { (worker.running?.residentBytes ?? 0) >= size }, "rss \(worker.running?.residentBytes ?? 0)")
        XCTAssertGreaterThanOrEqual(usage(), before + size * 9 / 10, "the container's memory cgroup is charged for the held memory")

        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        XCTAssertNotNil(worker.running, "a SIGKILLed chaosctl reverts nothing")
        let recovered = try cli.run(["recover"])
        XCTAssertEqual(recovered.status, 0, recovered.stderr)
        XCTAssertNil(worker.running)
        XCTAssertTrue(StressTestWait.until { usage() < before + (16 << 20) }, "released: \(usage()) vs \(before) before")
    }
}
