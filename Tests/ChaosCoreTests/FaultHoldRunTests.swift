import ChaosCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// ChaosCore's one apply-hold-revert sequence (netem/tbf, flags, container pauses use it).
final class FaultHoldRunTests: XCTestCase {
    private var dir: String!
    private var lifecycle: FaultLifecycle!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "hold-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        lifecycle = FaultLifecycle(journal: FaultJournal(directory: dir + "/state"), reverters: [MarkerReverter()])
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func file(_ name: String) throws -> String {
        let path = dir + "/" + name
        try "base\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    func testHoldDurationsTakeUnitsAndZeroIsRefused() throws {
        XCTAssertEqual(try FaultHoldRun.seconds("1m30s"), 90)
        XCTAssertNil(try FaultHoldRun.seconds(nil))
        for bad in ["0s", "0ms", "10", "soon"] {
            XCTAssertThrowsError(try FaultHoldRun.seconds(bad, field: "--for"), bad) { error in
                XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
                XCTAssertTrue("\(error)".contains("--for"), "\(error)")
            }
        }
    }

    func testExpiryRevertsWhatWasHeldAndAFailedApplyLeavesTheOthersHeld() throws {
        let a = try file("a"), b = try file("b"), c = try file("c")
        var applied: [String] = []
        var failed: [String] = []
        let outcome = FaultHoldRun(lifecycle, seconds: 0.3).run(
            [MarkerFault(path: a, marker: "fault"), MarkerFault(path: b, marker: "fault", failApply: true), MarkerFault(path: c, marker: "fault")],
            applied: { fault, record in
                applied.append(fault.target)
                XCTAssertEqual(self.text(fault.target), "base\nfault\n", "applied before the hold")
                XCTAssertNotNil(record.expiresAt)
            },
            failed: { fault, _ in failed.append(fault.target) })
        XCTAssertEqual(applied, [a, c])
        XCTAssertEqual(failed, [b])
        XCTAssertEqual(outcome?.ending, .expired)
        XCTAssertTrue(outcome?.failures.isEmpty ?? false)
        for path in [a, b, c] { XCTAssertEqual(text(path), "base\n", path) }
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
        XCTAssertTrue(lifecycle.heldRecords.isEmpty)
    }

    func testASignalEndsTheHoldAndReverts() throws {
        let a = try file("a")
        let started = Date()
        // No deadline: only the signal can end this hold. The trap is live before the apply.
        let outcome = try FaultHoldRun(lifecycle, seconds: nil).run(MarkerFault(path: a, marker: "fault")) { _ in
            kill(getpid(), SIGTERM)
        }
        XCTAssertEqual(outcome.ending, .signal(SIGTERM))
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        XCTAssertEqual(text(a), "base\n")
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    /// MarkerFault with failApply changes the file, then throws: the partial change is undone.
    func testOneFaultThatFailsToApplyIsRethrownAndNothingIsHeld() throws {
        let a = try file("a")
        XCTAssertThrowsError(try FaultHoldRun(lifecycle, seconds: 5).run(MarkerFault(path: a, marker: "fault", failApply: true))) { error in
            XCTAssertTrue("\(error)".contains("apply failed"), "\(error)")
        }
        XCTAssertEqual(text(a), "base\n")
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
        XCTAssertTrue(lifecycle.heldRecords.isEmpty)
    }
}
