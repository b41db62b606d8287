import Foundation

/// "Apply, hold until expiry or a signal, revert": the one sequence behind every fault held
/// in the foreground (netem, tbf, control-file flags, container pauses, toxics).
///
/// SIGINT/SIGTERM are caught before the first fault is applied, so a signal that lands
/// mid-apply still ends in a revert; once a signal is caught no further fault is applied.
/// Nothing here prints or exits: the outcome says how the hold ended and what could not be
/// reverted, and the caller words it.
public struct FaultHoldRun {
    public struct Outcome {
        /// Expired, or the signal that ended the hold.
        public var ending: FaultHold.Ending
        /// Records whose revert failed: still journaled for `chaosctl recover`.
        public var failures: [(FaultRecord, Error)]
        /// Parts a revert left in place because someone changed them since (see FaultRevertResult).
        public var leftAlone: [String]
    }

    public let lifecycle: FaultLifecycle
    /// When the hold ends and the faults expire; nil holds until SIGINT/SIGTERM.
    public let deadline: Date?

    /// Hold for `seconds` from now (nil: until a signal).
    public init(_ lifecycle: FaultLifecycle, seconds: Double?) {
        self.init(lifecycle, until: seconds.map { Date().addingTimeInterval($0) })
    }

    /// Hold until `deadline` (e.g. a flag's own expiry written in the control file).
    public init(_ lifecycle: FaultLifecycle, until deadline: Date?) {
        self.lifecycle = lifecycle
        self.deadline = deadline
    }

    /// A hold duration as the user wrote it (`30s`, `5m`; units required), refusing zero: a
    /// fault held for no time would be applied and reverted at once. nil stays nil (until
    /// a signal). `field` names it in the refusal (`--for`).
    public static func seconds(_ text: String?, field: String = "--for") throws -> Double? {
        guard let text else { return nil }
        let seconds = try DurationParser.seconds(text, field: field)
        guard seconds > 0 else {
            throw ChaosError("\(field): '\(text)' must be longer than 0 (without \(field) the fault is held until Ctrl-C/SIGTERM)",
                             exitCode: .usage)
        }
        return seconds
    }

    /// Apply one fault, hold it, revert it. If applying throws, nothing stays applied (the
    /// lifecycle undid it), the signal trap is dropped and the error is rethrown.
    public func run(_ fault: Fault, applied: (FaultRecord) -> Void = { _ in }) throws -> Outcome {
        try runOne(fault, applied: applied)
    }

    /// `fault` opened to its concrete type, so it can go through `run(_:applied:failed:)`.
    private func runOne<F: Fault>(_ fault: F, applied: (FaultRecord) -> Void) throws -> Outcome {
        var failure: Error?
        let outcome = run([fault], applied: { _, record in applied(record) }, failed: { _, error in failure = error })
        if let failure { throw failure }
        return outcome!
    }

    /// Apply several faults held together (each journaled on its own), then hold and revert
    /// the ones that took. A fault that fails to apply is reported to `failed` and the others
    /// go on. Returns nil when none was applied and no signal came (nothing was held); a
    /// signal before the first apply is an outcome with nothing applied.
    public func run<F: Fault>(_ faults: [F], applied: (F, FaultRecord) -> Void,
                              failed: (F, Error) -> Void) -> Outcome? {
        let expires = deadline
        let hold = FaultHold(lifecycle)
        let notesBefore = lifecycle.leftAlone.count
        var held = 0
        for fault in faults {
            if hold.caughtSignal != nil { break }
            do {
                applied(fault, try lifecycle.apply(fault, held: true, expiresAt: expires))
                held += 1
            } catch {
                failed(fault, error)
            }
        }
        let (ending, failures): (FaultHold.Ending, [(FaultRecord, Error)])
        if held > 0 {
            (ending, failures) = hold.wait(until: expires)
        } else {
            (ending, failures) = hold.finish()
            // Nothing was applied and no signal came: there was nothing to hold.
            if ending == .expired { return nil }
        }
        return Outcome(ending: ending, failures: failures, leftAlone: Array(lifecycle.leftAlone.dropFirst(notesBefore)))
    }
}
