import ChaosCore
import ChaosStress
import ChaosTestSupport
import Foundation
import XCTest

/// The fault through `FaultLifecycle` itself: an apply that fails after the workers were
/// journaled leaves neither workers nor a record; a target gone since the lookup is refused
/// before anything starts; workers of a SIGKILLed chaosctl end on their own after the hold.
final class StressLifecycleTests: XCTestCase {
    var temp: TempDir!
    var lifecycle: FaultLifecycle!

    override func setUpWithError() throws {
        temp = try TempDir()
        lifecycle = FaultLifecycle(journal: FaultJournal(directory: temp.path + "/state"), reverters: [StressReverter()])
    }

    override func tearDown() { temp = nil }

    private func fault(_ placement: CgroupPlacement) throws -> StressFault {
        StressFault(resource: .cpu(workers: 2, load: 100), placement: placement, holdSeconds: 30,
                    workerExecutable: try StressWorkerExecutable.locate())
    }

    func testAFailedPlacementEndsTheJournaledWorkers() throws {
        // A target whose cgroup directory does not exist: the write into it fails after the
        // workers were started and journaled.
        let membership = CgroupMembership(hierarchyID: 99, controllers: ["cpu"], path: "/gone")
        let placement = CgroupPlacement(label: "a cgroup that is gone", targetPid: getpid(),
                                        targetStartTicks: ProcessIdentity.startTicks(of: getpid()),
                                        directories: [.init(membership: membership, path: temp.path + "/no-such-cgroup", mountPoint: temp.path)])
        XCTAssertThrowsError(try lifecycle.apply(try fault(placement), held: true)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .conflict, "\(error)")
        }
        XCTAssertTrue(lifecycle.journal.records().0.isEmpty, "the lifecycle reverted and dropped the record")
        XCTAssertEqual(runningWorkersOfThisBuild(), [])
    }

    func testATargetGoneSinceTheLookupIsRefusedBeforeAnythingStarts() throws {
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["60"]
        try sleeper.run()
        let placement = try CgroupPlacement.of(pid: sleeper.processIdentifier, label: "pid \(sleeper.processIdentifier)")
        sleeper.terminate()
        sleeper.waitUntilExit()
        XCTAssertThrowsError(try lifecycle.apply(try fault(placement), held: true)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .conflict, "\(error)")
        }
        XCTAssertTrue(lifecycle.journal.records().0.isEmpty)
        XCTAssertEqual(runningWorkersOfThisBuild(), [])
    }

    func testWorkersOfAKilledChaosctlStopAfterTheHoldByThemselves() throws {
        let cli = Chaosctl(stateDir: temp.path + "/cli-state")
        let holder = try cli.start(["stress", "cpu", "--load", "10", "--for", "1s"])
        var workers: [StressWorkerID] = []
        let journal = FaultJournal(directory: temp.path + "/cli-state")
        XCTAssertTrue(StressTestWait.until(60) { workers = journal.appliedStressWorkers() ?? []; return !workers.isEmpty })
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let worker = try XCTUnwrap(workers.first)
        // The hold was 1 s and the grace 2 s; allow far more on a loaded machine.
        XCTAssertTrue(StressTestWait.until(30) { worker.running == nil }, "worker \(worker.pid) must end on its own")
        _ = try cli.run(["recover"])
    }

    func testADetachedStressRunsOnUntilRecoverAll() throws {
        let cli = Chaosctl(stateDir: temp.path + "/cli-state")
        let started = try cli.run(["stress", "cpu", "--load", "5", "--detach"])
        XCTAssertEqual(started.status, 0, started.stderr)
        XCTAssertTrue(started.stdout.contains("detached"), started.stdout)
        let worker = try XCTUnwrap(FaultJournal(directory: temp.path + "/cli-state").appliedStressWorkers()?.first)
        XCTAssertNotNil(worker.running, "chaosctl has exited; the detached worker runs on")
        _ = try cli.run(["recover"])
        XCTAssertNotNil(worker.running, "plain recover leaves detached faults alone")
        let ended = try cli.run(["recover", "--all", "--kind", "stress"])
        XCTAssertEqual(ended.status, 0, ended.stderr)
        XCTAssertNil(worker.running)
    }
}
