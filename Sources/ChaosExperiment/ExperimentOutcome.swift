import ChaosCore
import ChaosReport

/// How a run ended, which is also its exit code. It is the report's verdict, so the reports
/// and the exit status always agree.
public enum ExperimentOutcome: Equatable, Sendable {
    case passed
    /// An SLO was missed, the load command failed, or a step (a rollback, a revert) failed.
    case sloMissed
    /// Nothing failed, but a check had no data to judge (exit 1: a run cannot pass on it).
    case notMeasured(String)
    /// A stop condition fired, the steady state did not hold before the faults, a step
    /// failed, or a signal arrived. Everything was rolled back.
    case aborted(String)

    public init(_ verdict: RunVerdict) {
        switch verdict.result {
        case .passed: self = .passed
        case .failed: self = .sloMissed
        case .notMeasured: self = .notMeasured(verdict.reason ?? "")
        case .aborted: self = .aborted(verdict.reason ?? "")
        }
    }

    public var exitCode: ExitCode {
        switch self {
        case .passed: return .ok
        case .sloMissed, .notMeasured: return .failure
        case .aborted: return .aborted
        }
    }

    public var text: String {
        switch self {
        case .passed: return "PASSED"
        case .sloMissed: return "FAILED"
        case .notMeasured(let why): return "NOT MEASURED: \(why)"
        case .aborted(let why): return "ABORTED: \(why)"
        }
    }
}
