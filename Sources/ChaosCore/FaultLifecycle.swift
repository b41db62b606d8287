import Foundation

/// Applies faults with journaling and reverts them, in-process or after a crash.
// @unchecked Sendable: `reverters` and `held` are guarded by `lock`.
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

    /// The fault kinds this lifecycle can revert, sorted.
    public var kinds: [String] {
        lock.lock(); defer { lock.unlock() }
        return reverters.keys.sorted()
    }

    private func reverter(for kind: String) -> FaultReverter? {
        lock.lock(); defer { lock.unlock() }
        return reverters[kind]
    }

    /// Journal, then apply. `held: true` ties the fault to this process: it is reverted by
    /// `revertHeld()` (signals, expiry) and, if this process dies, by `recover`.
    /// `held: false` leaves a detached fault that outlives the command.
    ///
    /// While applying, the record names this process as its owner whatever `held` says, so
    /// `recover` can tell an apply in progress (owner alive: left alone) from one that died
    /// half-way (owner gone: reverted). If applying throws, whatever part took effect is
    /// reverted and the record dropped; if nothing was journaled yet, nothing is left behind.
    @discardableResult
    public func apply(_ fault: Fault, held: Bool, expiresAt: Date? = nil) throws -> FaultRecord {
        guard reverter(for: fault.kind) != nil else {
            throw ChaosError("internal: no reverter registered for fault kind '\(fault.kind)'")
        }
        // A refusal known up front must not reach the revert-on-failure path below.
        if let checked = fault as? PreflightFault { try checked.preflight() }
        var record = FaultRecord(kind: fault.kind, target: fault.target, summary: fault.summary,
                                 state: .applying, expiresAt: expiresAt, owner: ProcessIdentity.current)
        var journaled = false
        do {
            if let stepwise = fault as? FaultJournaledApply {
                try stepwise.apply(recordID: record.id) { data in
                    record.revertData = data
                    try journal.write(record)
                    journaled = true
                }
            } else {
                record.revertData = try fault.revertData()
                try journal.write(record)
                journaled = true
                try fault.apply()
            }
            let owner = held ? ProcessIdentity.current : nil
            // Merge into the journaled record: another process may have updated it meanwhile.
            record = try journal.update(id: record.id) { $0.state = .applied; $0.owner = owner } ?? record
        } catch {
            if journaled { undoFailedApply(record) }
            throw error
        }
        if held {
            lock.lock(); held_insert(record); lock.unlock()
        }
        return record
    }

    /// Undo whatever part of a failed apply took effect, then forget the record. If the
    /// revert itself fails the record stays, so `status` shows it and `recover` retries.
    private func undoFailedApply(_ record: FaultRecord) {
        _ = try? revert(record)
    }

    private func held_insert(_ record: FaultRecord) { held[record.id] = record }

    /// Revert one record through its kind's reverter and drop it from the journal. Parts
    /// someone changed since the fault applied them are left in place; the result says
    /// which, and the journal's event log records it.
    @discardableResult
    public func revert(_ record: FaultRecord) throws -> FaultRevertResult {
        guard let r = reverter(for: record.kind) else {
            throw ChaosError("no reverter for fault kind '\(record.kind)' (record \(record.id)); is this chaosctl older than the one that applied it?")
        }
        var result = FaultRevertResult()
        if let checking = r as? OwnershipCheckingReverter {
            result = try checking.revert(record, journal: journal)
        } else {
            try r.revert(record)
        }
        try journal.remove(id: record.id)
        for note in result.leftAlone {
            try? journal.appendEvent(.init(kind: "revert-left-alone", target: record.target,
                                           summary: "record \(record.id): \(note)"))
        }
        lock.lock()
        held[record.id] = nil
        leftAloneNotes += result.leftAlone
        lock.unlock()
        return result
    }

    /// Every part a revert by this lifecycle left in place, oldest first (for printing after
    /// `revertHeld()`, whose callers only see failures).
    public var leftAlone: [String] {
        lock.lock(); defer { lock.unlock() }
        return leftAloneNotes
    }
    private var leftAloneNotes: [String] = []

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
        /// Per reverted record, the parts left in place because they changed since.
        public var leftAlone: [(FaultRecord, [String])] = []
    }

    /// Why `recover` should revert a record, or nil to keep it. A record whose owner is
    /// another live process is that process's to end — while it applies, and even with
    /// `all` — unless it is past its expiry.
    public static func recoverReason(_ record: FaultRecord, all: Bool, now: Date = Date()) -> String? {
        let isSelf = record.owner == ProcessIdentity.current
        let ownerAlive = !isSelf && (record.owner.map(ProcessIdentity.isAlive) ?? false)
        let ownerGone = record.owner != nil && !isSelf && !ownerAlive
        if record.state == .applying {
            if ownerAlive { return nil }
            return ownerGone ? "left half-applied (pid \(record.owner!.pid) is gone)" : "left half-applied"
        }
        if record.isExpired(at: now) { return "expired" }
        if ownerGone { return "owner pid \(record.owner!.pid) is gone" }
        if all && !ownerAlive { return "--all" }
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
            guard Self.recoverReason(record, all: all, now: now) != nil else {
                outcome.kept.append(record)
                continue
            }
            do {
                let result = try revert(record)
                outcome.reverted.append(record)
                if !result.leftAlone.isEmpty { outcome.leftAlone.append((record, result.leftAlone)) }
            } catch {
                outcome.failed.append((record, error))
            }
        }
        return outcome
    }
}
