import Foundation

/// Applies faults with journaling and reverts them, in-process or after a crash.
public final class FaultLifecycle: @unchecked Sendable {
    public let journal: FaultJournal
    private var reverters: [String: FaultReverter] = [:]
    private let lock = NSLock()
    /// Records this process applied and still holds.
    private var held: [String: FaultRecord] = [:]

    public init(journal: FaultJournal = FaultJournal(), reverters: [FaultReverter] = []) {
        self.journal = journal
        for r in reverters { self.reverters[r.kind] = r }
    }

    public func register(_ reverter: FaultReverter) {
        lock.lock(); defer { lock.unlock() }
        reverters[reverter.kind] = reverter
    }

    private func reverter(for kind: String) -> FaultReverter? {
        lock.lock(); defer { lock.unlock() }
        return reverters[kind]
    }

    /// Journal, then apply. `held: true` ties the fault to this process: it is reverted by
    /// `revertHeld()` (signals, expiry) and, if this process dies, by `recover`.
    /// `held: false` leaves a detached fault that outlives the command.
    @discardableResult
    public func apply(_ fault: Fault, held: Bool, expiresAt: Date? = nil) throws -> FaultRecord {
        guard reverter(for: fault.kind) != nil else {
            throw ChaosError("internal: no reverter registered for fault kind '\(fault.kind)'")
        }
        // A refusal known up front must not reach the revert-on-failure path below.
        if let checked = fault as? PreflightFault { try checked.preflight() }
        var record = FaultRecord(kind: fault.kind, target: fault.target, summary: fault.summary,
                                 state: .applying, expiresAt: expiresAt,
                                 owner: held ? ProcessIdentity.current : nil,
                                 revertData: try fault.revertData())
        try journal.write(record)
        do {
            try fault.apply()
        } catch {
            // Undo whatever part took effect, then forget the record.
            if (try? reverter(for: fault.kind)?.revert(record)) != nil { try? journal.remove(id: record.id) }
            throw error
        }
        record.state = .applied
        try journal.write(record)
        if held {
            lock.lock(); held_insert(record); lock.unlock()
        }
        return record
    }

    private func held_insert(_ record: FaultRecord) { held[record.id] = record }

    /// Revert one record through its kind's reverter and drop it from the journal.
    public func revert(_ record: FaultRecord) throws {
        guard let r = reverter(for: record.kind) else {
            throw ChaosError("no reverter for fault kind '\(record.kind)' (record \(record.id)); is this chaosctl older than the one that applied it?")
        }
        try r.revert(record)
        try journal.remove(id: record.id)
        lock.lock(); held[record.id] = nil; lock.unlock()
    }

    /// Records applied and held by this process, oldest first.
    public var heldRecords: [FaultRecord] {
        lock.lock(); defer { lock.unlock() }
        return held.values.sorted { $0.createdAt < $1.createdAt }
    }

    /// Revert everything this process holds, newest first. Returns the failures.
    @discardableResult
    public func revertHeld() -> [(FaultRecord, Error)] {
        var failures: [(FaultRecord, Error)] = []
        for record in heldRecords.reversed() {
            do { try revert(record) } catch { failures.append((record, error)) }
        }
        return failures
    }

    public struct RecoverOutcome {
        public var reverted: [FaultRecord] = []
        public var failed: [(FaultRecord, Error)] = []
        public var kept: [FaultRecord] = []
        public var problems: [String] = []
    }

    /// Why `recover` should revert a record, or nil to keep it.
    public static func recoverReason(_ record: FaultRecord, all: Bool, now: Date = Date()) -> String? {
        if all { return "--all" }
        if record.isExpired(at: now) { return "expired" }
        if record.state == .applying { return "left half-applied" }
        if let owner = record.owner, !ProcessIdentity.isAlive(owner) { return "owner pid \(owner.pid) is gone" }
        return nil
    }

    /// Revert what crashed processes left behind (dead owners, expired faults, half-applied
    /// records), or everything with `all`.
    public func recover(all: Bool = false, kinds: Set<String>? = nil, now: Date = Date()) -> RecoverOutcome {
        var outcome = RecoverOutcome()
        let (records, problems) = journal.records()
        outcome.problems = problems
        for record in records.reversed() {
            if let kinds, !kinds.contains(record.kind) { continue }
            // A live owner still holding its fault is not ours to take, even with --all,
            // unless it is this process.
            guard Self.recoverReason(record, all: all, now: now) != nil else {
                outcome.kept.append(record)
                continue
            }
            do {
                try revert(record)
                outcome.reverted.append(record)
            } catch {
                outcome.failed.append((record, error))
            }
        }
        return outcome
    }
}
