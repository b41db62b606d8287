import ChaosControl
import ChaosCore
import Foundation

/// Where one flag of a journaled flag record stands against the control file.
public enum FlagRecordState: Equatable, Sendable {
    /// The file holds exactly what the record wrote (for a flag `replace` removed: still absent).
    case inForce
    /// As `inForce`, but the definition's `expires_at` has passed: readers treat it as off.
    case expired
    /// Someone wrote another definition since: `by` is the chaosctl record that did, if stamped.
    case superseded(by: String?)
    /// The record wrote a definition, and the flag has been removed since.
    case removedSince
    /// The record's write never reached the file (the apply failed, or is still running).
    case notWritten

    /// The record's own write is what the file holds, so reverting it is the record's job.
    public var isOwned: Bool { self == .inForce || self == .expired }

    /// A stable word for scripts (`status --json`).
    public var code: String {
        switch self {
        case .inForce: return "in_force"
        case .expired: return "expired"
        case .superseded: return "superseded"
        case .removedSince: return "removed_since"
        case .notWritten: return "not_applied"
        }
    }

    /// The record that superseded this write, when chaosctl stamped it.
    public var supersededBy: String? {
        if case .superseded(let by) = self { return by }
        return nil
    }

    public var text: String {
        switch self {
        case .inForce: return "in force"
        case .expired: return "expired (still in the file)"
        case .superseded(let by?): return "superseded by record \(by)"
        case .superseded(nil): return "superseded (changed by another writer)"
        case .removedSince: return "removed since"
        case .notWritten: return "not applied"
        }
    }
}

/// A journaled `FlagSetFault` record read back: what it found and what it wrote, per flag.
public struct FlagRecordView {
    public let record: FaultRecord
    public let path: String
    /// Per touched flag, the definition before the write (nil: absent).
    public let previous: [String: Flag?]
    /// Per touched flag, exactly what the record wrote (nil: removed). Nil for records
    /// journaled by a chaosctl that did not keep it: those are reverted wherever the file
    /// differs from what they found.
    public let wrote: [String: Flag?]?

    public init(_ record: FaultRecord) throws {
        guard let path = record.revertData["path"], let text = record.revertData["previous"] else {
            throw ChaosError("fault record \(record.id) lacks the control-file path or previous flags")
        }
        self.record = record
        self.path = path
        previous = try FlagJSON.decode(text)
        wrote = try record.revertData["wrote"].map(FlagJSON.decode)
    }

    /// The touched flag names, sorted.
    public var names: [String] { previous.keys.sorted() }

    /// This flag's part of the record's summary ("x: 30% for 3s"), or what `replace` did.
    public func summary(of name: String) -> String {
        let parts = record.summary.components(separatedBy: "; ")
        if let part = parts.first(where: { $0 == "\(name):" || $0.hasPrefix("\(name): ") }) { return part }
        return wrote?[name] == .some(nil) ? "\(name): removed (replace)" : "\(name)"
    }

    /// Whether the record's write reached the file: the lifecycle marked it applied, or one
    /// of its stamped definitions is there.
    func writeHappened(in flags: [String: Flag]) -> Bool {
        if record.state == .applied { return true }
        return (wrote ?? [:]).contains { name, flag in flag != nil && flags[name] == flag }
    }

    public func state(of name: String, in flags: [String: Flag], now: Date = Date()) -> FlagRecordState {
        let current = flags[name]
        // A record from a chaosctl that did not journal its write: where the file still
        // holds what was there before, there is nothing to undo; elsewhere, the old rule.
        guard let wrote else { return current == (previous[name] ?? nil) ? .notWritten : .inForce }
        let happened = writeHappened(in: flags)
        guard let written = wrote[name] else { return .notWritten }
        if let written {
            if current == written {
                if let at = written.expiresAt, at <= now { return .expired }
                return .inForce
            }
            guard happened else { return .notWritten }
            return current.map { .superseded(by: FlagWriteStamp.recordID(of: $0)) } ?? .removedSince
        }
        guard happened else { return .notWritten }
        return current.map { .superseded(by: FlagWriteStamp.recordID(of: $0)) } ?? .inForce
    }

    /// What reverting the record against `flags` means: which flags to put back (to their
    /// previous definition, nil: remove), which were changed since (left alone, and their
    /// prior state handed to the record that superseded them), and a sentence for each.
    struct RevertPlan {
        var restore: [String: Flag?] = [:]
        var changedSince: [String] = []
        var notes: [String] = []
    }

    func revertPlan(for flags: [String: Flag], now: Date = Date()) -> RevertPlan {
        var plan = RevertPlan()
        for name in names {
            let state = state(of: name, in: flags, now: now)
            switch state {
            case .inForce, .expired:
                plan.restore.updateValue(previous[name] ?? nil, forKey: name)
            case .superseded, .removedSince:
                plan.changedSince.append(name)
                plan.notes.append("flag \(name) in \(path): \(state.text) after this fault wrote it; left as it is")
            case .notWritten:
                continue
            }
        }
        return plan
    }
}
