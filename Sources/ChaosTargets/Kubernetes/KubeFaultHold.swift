import ChaosCore
import Foundation

/// What a held Kubernetes fault (cordon, drain, scale, partition) did, in one line.
public struct KubeFaultSummary {
    public var line: String
    /// The signal that ended the hold early, if any.
    public var interrupted: Int32?
    /// Why the command should fail although the fault ran (blocked evictions, a revert
    /// that failed and stays journaled).
    public var failure: ChaosError?

    public func check() throws {
        if let failure { throw failure }
    }
}

/// Apply Kubernetes faults through the lifecycle, hold them for `seconds` (nil: until
/// SIGINT/SIGTERM) and revert them: `FaultHoldRun` with the progress lines these faults share.
enum KubeFaultHold {
    static func run<F: Fault>(_ faults: [F], seconds: Double?, lifecycle: FaultLifecycle, log: @escaping (String) -> Void,
                              whileHeld: (F) -> ChaosError? = { _ in nil }) throws -> KubeFaultSummary {
        var firstError: Error?
        var applied = 0
        var failure: ChaosError?
        // The fault lasts `seconds` from the start: a drain's evictions take part of it.
        let deadline = seconds.map { Date().addingTimeInterval($0) }
        let outcome = FaultHoldRun(lifecycle, until: deadline).run(faults, applied: { fault, record in
            applied += 1
            log("\(fault.kind) \(fault.target): \(fault.summary) [fault \(record.id)]")
            if let problem = whileHeld(fault), failure == nil { failure = problem }
            log(deadline.map { "holding for \(DurationParser.format((max(0, $0.timeIntervalSinceNow) * 10).rounded() / 10)); Ctrl-C reverts now" }
                ?? "holding until Ctrl-C/SIGTERM")
        }, failed: { fault, error in
            if firstError == nil { firstError = error }
            log("\(fault.kind) \(fault.target) failed: \(error)")
        })
        if applied == 0, let firstError { throw firstError }
        guard let outcome else { return KubeFaultSummary(line: "nothing applied", interrupted: nil, failure: failure) }
        for note in outcome.leftAlone { log("left alone: \(note)") }
        if let (record, error) = outcome.failures.first {
            failure = ChaosError("could not revert fault \(record.id): \(error); it stays journaled, run `chaosctl recover`")
        }
        var interrupted: Int32?
        let why: String
        switch outcome.ending {
        case .expired: why = "time is up"
        case .signal(let sig): why = "signal \(sig)"; interrupted = sig
        }
        let reverted = applied - outcome.failures.count
        return KubeFaultSummary(line: "reverted \(reverted) of \(applied) fault(s) (\(why))"
                                    + (outcome.leftAlone.isEmpty ? "" : "; \(outcome.leftAlone.count) part(s) left alone"),
                                interrupted: interrupted, failure: failure)
    }
}
