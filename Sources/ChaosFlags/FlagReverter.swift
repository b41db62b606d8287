import ChaosControl
import ChaosCore
import Foundation

/// Restores the flags a `FlagSetFault` touched to their journaled previous state — only
/// where the file still holds exactly what that record wrote. A flag someone changed since
/// is left as it is; the record that superseded it (if journaled here) inherits this
/// record's previous state, so its own revert later restores what was there before both.
public struct FlagReverter: SingleBodyRevert {
    public static let kindName = "flag"
    public var kind: String { Self.kindName }
    public init() {}

    private struct NothingToWrite: Error {}

    public func revertChecking(_ given: FaultRecord, journal: FaultJournal?) throws -> FaultRevertResult {
        let path = try FlagRecordView(given).path
        var result = FaultRevertResult()
        var lockHeld = false
        do {
            try ControlFileWriter(path: path).update { document in
                lockHeld = true
                // Read the record afresh under the writers' lock: the revert of an older
                // record may have handed it a prior state in the meantime.
                var record = given
                if let journal {
                    guard let fresh = try journal.lookup(id: given.id) else {
                        result.alreadyGone = true
                        throw NothingToWrite()
                    }
                    record = fresh
                }
                let view = try FlagRecordView(record)
                let plan = view.revertPlan(for: document.flags)
                result.leftAlone = plan.notes
                if let journal, !plan.changedSince.isEmpty {
                    try Self.handDown(plan.changedSince, from: view, journal: journal)
                }
                guard !plan.restore.isEmpty else { throw NothingToWrite() }
                for (name, flag) in plan.restore { document.flags[name] = flag }
            }
        } catch is NothingToWrite {
            return result
        } catch let error as ControlFileError where error.kind == .io && !lockHeld {
            // The lock cannot be taken (e.g. the directory is not writable): if the file
            // holds nothing this record wrote, there is nothing to undo and no need to write.
            let current = try ControlFileWriter(path: path).read()
            let plan = try FlagRecordView(journal.flatMap { try? $0.lookup(id: given.id) } ?? given)
                .revertPlan(for: current.flags)
            guard plan.restore.isEmpty else { throw error }
            result.leftAlone = plan.notes
        }
        return result
    }

    /// Give the records that superseded `view`'s write of `names` (they journaled exactly
    /// that write as their previous state) `view`'s previous state instead, so reverting
    /// them no longer brings back a definition whose record has ended.
    static func handDown(_ names: [String], from view: FlagRecordView, journal: FaultJournal) throws {
        guard let wrote = view.wrote else { return }
        for other in journal.records().records
        where other.kind == kindName && other.id != view.record.id && other.revertData["path"] == view.path
            && other.createdAt >= view.record.createdAt {
            try journal.update(id: other.id) { successor in
                var previous = try FlagJSON.decode(successor.revertData["previous"] ?? "{}")
                var changed = false
                for name in names {
                    guard let theirs = previous[name], let ours = wrote[name], theirs == ours else { continue }
                    previous.updateValue(view.previous[name] ?? nil, forKey: name)
                    changed = true
                }
                if changed { successor.revertData["previous"] = try FlagJSON.encode(previous) }
            }
        }
    }

    /// Drop `names` from every journaled flag record for `path` (after `flag disable`),
    /// removing records left with nothing to revert.
    public static func forget(names: Set<String>?, path: String, journal: FaultJournal) throws {
        for record in journal.records().records where record.kind == kindName && record.revertData["path"] == path {
            guard let names else { try journal.remove(id: record.id); continue }
            var emptied = false
            try journal.update(id: record.id) { updated in
                var previous = try FlagJSON.decode(updated.revertData["previous"] ?? "{}")
                var wrote = try updated.revertData["wrote"].map(FlagJSON.decode)
                for name in names { previous[name] = nil; wrote?[name] = nil }
                emptied = previous.isEmpty
                updated.revertData["previous"] = try FlagJSON.encode(previous)
                if let wrote { updated.revertData["wrote"] = try FlagJSON.encode(wrote) }
            }
            if emptied { try journal.remove(id: record.id) }
        }
    }
}
