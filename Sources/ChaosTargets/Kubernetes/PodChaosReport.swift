import Foundation

/// What happened to one chosen pod.
public struct PodActionResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Deleted or evicted (dry run: the server accepted it and changed nothing).
        case done(gracePeriodSeconds: Int?)
        /// A new pod has taken the name (UID precondition failed, 409).
        case alreadyReplaced(String)
        case alreadyGone
        /// Eviction refused (429) by a PodDisruptionBudget.
        case blockedByDisruptionBudget(String)
    }

    public var pod: KubePod
    public var action: PodChaosAction
    public var dryRun: Bool
    public var outcome: Outcome
    /// Seconds the API call took.
    public var seconds: Double

    /// One line for people.
    public var line: String {
        let target = "pod \(pod.id) (uid \(pod.uid))"
        let verb = action == .kill ? "delete" : "evict"
        switch outcome {
        case .done(let grace):
            let g = grace.map { ", grace period \($0)s" } ?? ""
            return dryRun ? "would \(verb) \(target)\(g) [server dry run accepted, nothing changed]"
                          : "\(action == .kill ? "deleted" : "evicted") \(target)\(g)"
        case .alreadyReplaced(let why): return "skipped \(target): already replaced by a new pod of that name (\(why))"
        case .alreadyGone: return "skipped \(target): already gone"
        case .blockedByDisruptionBudget(let why):
            return "\(dryRun ? "would be " : "")blocked by disruption budget: \(target): \(why)"
        }
    }
}

/// One round of an experiment.
public struct PodChaosRound: Sendable {
    public var index: Int
    public var startedAt: Date
    public var seed: UInt64
    public var eligible: Int
    public var results: [PodActionResult]
    /// Measured recovery; nil when none was measured (see `recoveryNotMeasured`).
    public var recovery: PodRecovery?
    /// Why `--wait-recovered` measured nothing this round (dry run; no pod was Running
    /// and Ready before the round, so there was nothing to recover to).
    public var recoveryNotMeasured: String?
    /// Why the round did not act (the blast-radius cap, with pods already down).
    public var skipped: String?

    public var blocked: [PodActionResult] {
        results.filter { if case .blockedByDisruptionBudget = $0.outcome { return true } else { return false } }
    }
}
