import ChaosCore
import Foundation
import XCTest

/// A fault over a real file: applying writes a marker line, reverting restores the prior content
/// (FaultHoldRunTests uses it too).
struct MarkerFault: Fault {
    let path: String
    let marker: String
    var failApply = false
    var kind: String { "marker" }
    var target: String { path }
    var summary: String { "append \(marker)" }
    func revertData() throws -> [String: String] {
        ["path": path, "previous": (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""]
    }
    func apply() throws {
        let before = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try (before + marker + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        if failApply { throw ChaosError("apply failed after a partial change") }
    }
}

struct MarkerReverter: FaultReverter {
    var kind: String { "marker" }
    func revert(_ record: FaultRecord) throws {
        try record.revertData["previous", default: ""].write(toFile: record.revertData["path"]!, atomically: true, encoding: .utf8)
    }
}

final class FaultLifecycleTests: XCTestCase {
    var dir: String!
    var file: String { dir + "/target.txt" }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "chaoscore-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "base\n".write(toFile: file, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func lifecycle() -> FaultLifecycle {
        FaultLifecycle(journal: FaultJournal(directory: dir + "/state"), reverters: [MarkerReverter()])
    }

    func testApplyJournalsThenRevertRestoresAndForgets() throws {
        let lc = lifecycle()
        let record = try lc.apply(MarkerFault(path: file, marker: "X"), held: true)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "base\nX\n")
        let journaled = lc.journal.records().records
        XCTAssertEqual(journaled.map(\.id), [record.id])
        XCTAssertEqual(journaled.first?.state, .applied)
        XCTAssertEqual(journaled.first?.owner?.pid, getpid())
        XCTAssertTrue(lc.revertHeld().isEmpty)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "base\n")
        XCTAssertTrue(lc.journal.records().records.isEmpty)
    }

    func testFailedApplyIsRevertedAndLeavesNoRecord() throws {
        let lc = lifecycle()
        XCTAssertThrowsError(try lc.apply(MarkerFault(path: file, marker: "Y", failApply: true), held: true))
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "base\n")
        XCTAssertTrue(lc.journal.records().records.isEmpty)
    }

    func testUnknownKindIsRefusedBeforeAnythingChanges() throws {
        let lc = FaultLifecycle(journal: FaultJournal(directory: dir + "/state"))
        XCTAssertThrowsError(try lc.apply(MarkerFault(path: file, marker: "Z"), held: false))
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "base\n")
    }

    func testRecoverRevertsDeadOwnersAndExpiredButKeepsLiveAndDetached() throws {
        let journal = FaultJournal(directory: dir + "/state")
        // A real process that has exited: its PID is a dead owner.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let deadOwner = FaultRecord.Owner(pid: child.processIdentifier, startTicks: 1)
        let dead = FaultRecord(kind: "marker", target: file, summary: "dead", state: .applied, owner: deadOwner,
                               revertData: ["path": file, "previous": "from-dead\n"])
        let live = FaultRecord(kind: "marker", target: file, summary: "live", state: .applied,
                               owner: ProcessIdentity.current, revertData: ["path": file, "previous": "from-live\n"])
        let detached = FaultRecord(kind: "marker", target: file, summary: "detached", state: .applied,
                                   revertData: ["path": file, "previous": "from-detached\n"])
        let expired = FaultRecord(kind: "marker", target: file, summary: "expired", state: .applied,
                                  createdAt: Date(timeIntervalSinceNow: -10), expiresAt: Date(timeIntervalSinceNow: -1),
                                  revertData: ["path": dir + "/other.txt", "previous": "from-expired\n"])
        for r in [dead, live, detached, expired] { try journal.write(r) }

        let lc = FaultLifecycle(journal: journal, reverters: [MarkerReverter()])
        let outcome = lc.recover()
        XCTAssertEqual(Set(outcome.reverted.map(\.summary)), ["dead", "expired"])
        XCTAssertEqual(Set(outcome.kept.map(\.summary)), ["live", "detached"])
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "from-dead\n")
        XCTAssertEqual(try String(contentsOfFile: dir + "/other.txt", encoding: .utf8), "from-expired\n")

        let all = lc.recover(all: true)
        XCTAssertEqual(Set(all.reverted.map(\.summary)), ["live", "detached"])
        XCTAssertTrue(journal.records().records.isEmpty)
    }

    /// Another live process that is still applying (record `applying`, owner alive) is left
    /// alone even by `recover --all`: reverting under it would race its write.
    func testRecoverLeavesAnotherLiveProcessesApplyAndHoldAlone() throws {
        let journal = FaultJournal(directory: dir + "/state")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        try child.run()
        defer { child.terminate(); child.waitUntilExit() }
        let ticks = try XCTUnwrap(ProcessIdentity.startTicks(of: child.processIdentifier))
        let applier = FaultRecord.Owner(pid: child.processIdentifier, startTicks: ticks)
        let applying = FaultRecord(kind: "marker", target: file, summary: "applying", state: .applying, owner: applier,
                                   revertData: ["path": file, "previous": "from-applying\n"])
        let holding = FaultRecord(kind: "marker", target: file, summary: "holding", state: .applied, owner: applier,
                                  revertData: ["path": file, "previous": "from-holding\n"])
        for r in [applying, holding] { try journal.write(r) }

        let lc = FaultLifecycle(journal: journal, reverters: [MarkerReverter()])
        for all in [false, true] {
            let outcome = lc.recover(all: all)
            XCTAssertEqual(outcome.reverted.map(\.summary), [], "all: \(all)")
            XCTAssertEqual(Set(outcome.kept.map(\.summary)), ["applying", "holding"], "all: \(all)")
        }
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "base\n")

        // Once the applier is gone, its half-applied record is recover's to revert.
        child.terminate()
        child.waitUntilExit()
        XCTAssertEqual(Set(lc.recover().reverted.map(\.summary)), ["applying", "holding"])
    }

    func testPidReuseIsNotMistakenForALiveOwner() throws {
        var me = ProcessIdentity.current
        XCTAssertTrue(ProcessIdentity.isAlive(me))
        me.startTicks &+= 12345
        XCTAssertFalse(ProcessIdentity.isAlive(me))
    }

    func testCorruptRecordIsReportedNotDropped() throws {
        let journal = FaultJournal(directory: dir + "/state")
        try journal.write(FaultRecord(kind: "marker", target: "t", summary: "ok"))
        try "{ not json".write(toFile: dir + "/state/faults/bad.json", atomically: true, encoding: .utf8)
        let (records, problems) = journal.records()
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems[0].contains("bad.json"))
    }

    func testEventsAppendInOrder() throws {
        let journal = FaultJournal(directory: dir + "/state")
        for i in 0..<3 { try journal.appendEvent(.init(kind: "container-kill", target: "c\(i)", summary: "SIGKILL")) }
        XCTAssertEqual(journal.events().map(\.target), ["c0", "c1", "c2"])
        XCTAssertEqual(journal.events(limit: 2).map(\.target), ["c1", "c2"])
    }

    func testAtomicWriteReplacesWholeFileAndKeepsMode() throws {
        let path = dir + "/atomic.json"
        try AtomicFile.write(Data("one".utf8), to: path, mode: 0o644)
        try AtomicFile.write(Data("two-two".utf8), to: path, mode: 0o644)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two-two")
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o644)
        // No temp files left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(".") }, [])
    }

    func testSeededRandomIsReproducible() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let sa = (0..<8).map { _ in a.next() }, sb = (0..<8).map { _ in b.next() }, sc = (0..<8).map { _ in c.next() }
        XCTAssertEqual(sa, sb)
        XCTAssertNotEqual(sa, sc)
        var d = SeededRandom(seed: 7), e = SeededRandom(seed: 7)
        XCTAssertEqual(d.sample(Array(0..<100), count: 5), e.sample(Array(0..<100), count: 5))
    }
}
