import ChaosCore
import ChaosStress
import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl stress` for real on processes of this host: CPU burnt in the target's cgroup,
/// memory held and released, SIGKILL + `recover`, and a revert that never signals a PID
/// whose start time differs from the journaled one.
final class StressProcessTreeTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!
    var journal: FaultJournal { FaultJournal(directory: temp.path + "/state") }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(stateDir: temp.path + "/state")
    }

    override func tearDown() {
        // Whatever a failed test left: end it the way a user would.
        _ = try? cli.run(["recover", "--all"])
        temp = nil
    }

    func testCPUWorkersBurnInTheTargetCgroupAndStopOnSIGTERM() throws {
        let cgroup = try TestCgroup()
        let holder = try cli.start(["stress", "cpu", "--workers", "2", "--load", "100", "--pid", String(cgroup.pid), "--for", "60s"])
        var workers: [StressWorkerID] = []
        XCTAssertTrue(StressTestWait.until { workers = self.journal.appliedStressWorkers() ?? []; return !workers.isEmpty })
        XCTAssertEqual(workers.count, 2)
        // Each worker is in the target's cgroups, every hierarchy the same as the target's.
        let target = try XCTUnwrap(CgroupMembership.of(pid: cgroup.pid))
        for worker in workers {
            XCTAssertEqual(CgroupMembership.of(pid: worker.pid), target, "worker \(worker.pid) must sit where pid \(cgroup.pid) does")
        }
        // CPU really consumed inside the cgroup: at least 20% of one core over a 2 s stretch
        // (2 workers at 100% get far more; the wait is long so a loaded machine only slows it).
        let before = cgroup.cpuUsage()
        let started = Date()
        XCTAssertTrue(StressTestWait.until(30) { cgroup.cpuUsage() - before >= 400_000_000 && Date().timeIntervalSince(started) >= 2 },
                      "cgroup used \(Double(cgroup.cpuUsage() - before) / 1e9) s of CPU")
        XCTAssertGreaterThan(workers.compactMap { $0.running?.cpuTicks }.reduce(0, +), 0)

        kill(holder.processIdentifier, SIGTERM)
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 143)
        for worker in workers { XCTAssertNil(worker.running, "worker \(worker.pid) must be gone after the revert") }
        XCTAssertTrue(journal.records().0.isEmpty)
        // Nothing burns in the cgroup any more (the sleeper uses next to nothing).
        let after = cgroup.cpuUsage()
        usleep(300_000)
        XCTAssertLessThan(cgroup.cpuUsage() - after, 100_000_000)
    }

    func testMemoryIsHeldThenReleasedByRecoverAfterSIGKILL() throws {
        let size: UInt64 = 64 << 20
        let holder = try cli.start(["stress", "memory", "--size", "64MiB", "--for", "10m"])
        var workers: [StressWorkerID] = []
        XCTAssertTrue(StressTestWait.until(60) { workers = self.journal.appliedStressWorkers() ?? []; return !workers.isEmpty })
        let worker = try XCTUnwrap(workers.first)
        XCTAssertEqual(workers.count, 1)
        // No target: the worker stays in chaosctl's own cgroups (this test's).
        XCTAssertEqual(CgroupMembership.of(pid: worker.pid), CgroupMembership.of(pid: getpid()))
        let rss = try XCTUnwrap(worker.running?.residentBytes)
        XCTAssertGreaterThanOrEqual(rss, size, "every page touched: VmRSS \(rss)")
        XCTAssertLessThan(rss, size + (32 << 20), "the worker holds the size asked for, not much more: VmRSS \(rss)")

        let show = try cli.run(["stress", "show"])
        XCTAssertTrue(show.stdout.contains("64 MiB of memory held"), show.stdout)
        XCTAssertTrue(show.stdout.contains("worker \(worker.pid): running"), show.stdout)

        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        usleep(200_000)
        XCTAssertNotNil(worker.running, "a SIGKILLed chaosctl cannot end its workers: the journal and recover do")
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("stress"))
        let recovered = try cli.run(["recover"])
        XCTAssertEqual(recovered.status, 0, recovered.stderr)
        XCTAssertTrue(recovered.stdout.contains("reverted"), recovered.stdout)
        XCTAssertNil(worker.running, "recover must end the worker (and with it its memory)")
        XCTAssertTrue(journal.records().0.isEmpty)
    }

    /// A revert signals only processes with the journaled PID *and* start time.
    func testRevertNeverSignalsAReusedPID() throws {
        let bystander = Process()
        bystander.executableURL = URL(fileURLWithPath: "/bin/sleep")
        bystander.arguments = ["60"]
        try bystander.run()
        defer { bystander.terminate(); bystander.waitUntilExit() }
        let ticks = try XCTUnwrap(ProcessIdentity.startTicks(of: bystander.processIdentifier))
        let record = FaultRecord(kind: StressFault.kind, target: "pid 1", summary: "test",
                                 revertData: ["workers": "\(bystander.processIdentifier):\(ticks + 1)"])
        try StressReverter().revert(record)
        XCTAssertTrue(bystander.isRunning, "a PID with another start time is someone else's process")
    }

    func testDryRunStartsNothing() throws {
        let cgroup = try TestCgroup()
        let r = try cli.run(["stress", "cpu", "--workers", "2", "--pid", String(cgroup.pid), "--dry-run"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("would start 2 cpu workers at 100% load"), r.stdout)
        XCTAssertTrue(r.stdout.contains(cgroup.name), r.stdout)
        XCTAssertTrue(journal.records().0.isEmpty)
        XCTAssertEqual(runningWorkersOfThisBuild(), [])
        let before = cgroup.cpuUsage()
        usleep(300_000)
        XCTAssertLessThan(cgroup.cpuUsage() - before, 50_000_000)
    }
}
