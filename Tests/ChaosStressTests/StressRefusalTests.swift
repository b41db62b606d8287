import ChaosCore
import ChaosStress
import ChaosTestSupport
import Foundation
import XCTest

/// Bad input is refused before anything starts: exit 2 naming the option (7 for a target
/// that does not exist), no journal record, no worker process.
final class StressRefusalTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(stateDir: temp.path + "/state")
    }

    override func tearDown() { temp = nil }

    private func refused(_ args: [String], status: Int32 = 2, naming: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try cli.run(args)
        XCTAssertEqual(r.status, status, r.stdout + r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(naming), "\(r.stderr) should name \(naming)", file: file, line: line)
        XCTAssertTrue(FaultJournal(directory: temp.path + "/state").records().0.isEmpty, file: file, line: line)
        XCTAssertEqual(runningWorkersOfThisBuild(), [], file: file, line: line)
    }

    func testBadValuesAreRefusedNamingTheOption() throws {
        try refused(["stress", "cpu", "--workers", "0", "--for", "5s"], naming: "--workers: '0'")
        try refused(["stress", "cpu", "--workers", "100000", "--for", "5s"], naming: "--workers")
        try refused(["stress", "cpu", "--load", "0", "--for", "5s"], naming: "--load: '0'")
        try refused(["stress", "cpu", "--load", "101", "--for", "5s"], naming: "--load: '101'")
        try refused(["stress", "memory", "--for", "5s"], naming: "--size")
        try refused(["stress", "memory", "--size", "256", "--for", "5s"], naming: "--size: '256'")
        try refused(["stress", "memory", "--size", "256furlongs", "--for", "5s"], naming: "--size")
        try refused(["stress", "cpu", "--for", "0s"], naming: "--for")
        try refused(["stress", "cpu", "--pid", "1", "--container", "x"], naming: "--container and --pid")
    }

    func testMoreMemoryThanTheHostHasIsRefused() throws {
        try refused(["stress", "memory", "--size", "64TiB", "--for", "5s"], naming: "--size: '64TiB' is more than this host has available")
    }

    func testMoreMemoryThanTheTargetCgroupAllowsIsRefused() throws {
        let cgroup = try TestCgroup(memoryLimit: 64 << 20)
        try refused(["stress", "memory", "--size", "128MiB", "--pid", String(cgroup.pid), "--for", "5s"],
                    naming: "--size: '128MiB' is more than the target's cgroup allows")
        XCTAssertLessThan(cgroup.memoryUsage(), 32 << 20, "nothing was allocated in the target")
    }

    func testUnknownTargetsAreNotFound() throws {
        // A PID far above any pid_max in use here.
        try refused(["stress", "cpu", "--pid", "2000000000", "--for", "5s"], status: 7, naming: "--pid: '2000000000' no such process")
    }
}
