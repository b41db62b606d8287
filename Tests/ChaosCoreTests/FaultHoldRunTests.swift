import ChaosCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A fault over a real file: applying appends a line, reverting puts the old text back.
private struct LineFault: Fault {
    let path: String
    var fails = false
    var kind: String { "line" }
    var target: String { path }
    var summary: String { "append a line" }
    func revertData() throws -> [String: String] {
        ["path": path, "previous": (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""]
    }
    func apply() throws {
        if fails { throw ChaosError("refused", exitCode: .conflict) }
        let before = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try (before + "fault\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}

private struct LineReverter: FaultReverter {
    var kind: String { "line" }
    func revert(_ record: FaultRecord) throws {
        try record.revertData["previous", default: ""].write(toFile: record.revertData["path"]!, atomically: true, encoding: .utf8)
    }
}

/// ChaosCore's one apply-hold-revert sequence (netem/tbf, flags, container pauses use it).
final class FaultHoldRunTests: XCTestCase {
    private var dir: String!
    private var lifecycle: FaultLifecycle!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "hold-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        lifecycle = FaultLifecycle(journal: FaultJournal(directory: dir + "/state"), reverters: [LineReverter()])
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
            [LineFault(path: a), LineFault(path: b, fails: true), LineFault(path: c)],
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
        let outcome = try FaultHoldRun(lifecycle, seconds: nil).run(LineFault(path: a)) { _ in
            kill(getpid(), SIGTERM)
        }
        XCTAssertEqual(outcome.ending, .signal(SIGTERM))
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        XCTAssertEqual(text(a), "base\n")
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    func testOneFaultThatFailsToApplyIsRethrownAndNothingIsHeld() throws {
        let a = try file("a")
        XCTAssertThrowsError(try FaultHoldRun(lifecycle, seconds: 5).run(LineFault(path: a, fails: true))) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .conflict)
        }
        XCTAssertEqual(text(a), "base\n")
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
        XCTAssertTrue(lifecycle.heldRecords.isEmpty)
    }
}
