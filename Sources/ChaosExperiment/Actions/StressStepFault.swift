import ChaosCore
import ChaosStress

/// A `stress:` step's fault, its target looked up when the step runs rather than when the
/// file is validated: a container need not exist, nor its engine answer, for `validate`, and
/// the PID found is the one running at apply time. `FaultLifecycle.apply` calls `preflight()`
/// before journaling anything, so a target that cannot be found is refused with its own
/// message and exit code while nothing has changed.
// @unchecked Sendable: `resolved` is set once, by the one thread applying the step.
final class StressStepFault: FaultJournaledApply, PreflightFault, @unchecked Sendable {
    let options: StressFaultOptions
    let holdSeconds: Double?
    /// Builds the fault for the target found now (a seam for tests; the step's is
    /// `StressActions.resolve`).
    private let resolve: (StressFaultOptions, Double?) throws -> StressFault
    private(set) var resolved: StressFault?

    init(options: StressFaultOptions, holdSeconds: Double?,
         resolve: @escaping (StressFaultOptions, Double?) throws -> StressFault = StressActions.resolve) {
        self.options = options
        self.holdSeconds = holdSeconds
        self.resolve = resolve
    }

    var kind: String { StressFault.kind }
    var target: String { resolved?.target ?? Self.describeTarget(options) }
    var summary: String { options.resource.summary }

    /// The target as the file names it, before it is looked up.
    static func describeTarget(_ options: StressFaultOptions) -> String {
        if let container = options.container { return "container \(container)" }
        if let pid = options.pid { return "pid \(pid)" }
        return "this process tree"
    }

    func preflight() throws {
        let fault = try resolve(options, holdSeconds)
        try fault.preflight()
        resolved = fault
    }

    func revertData() throws -> [String: String] { try found().revertData() }
    func apply() throws { try found().apply() }
    func apply(recordID: String, journal: ([String: String]) throws -> Void) throws {
        try found().apply(recordID: recordID, journal: journal)
    }

    private func found() throws -> StressFault {
        if let resolved { return resolved }
        try preflight()
        return resolved!
    }
}
