import ChaosCore

/// How a run ended, which is also its exit code.
public enum ExperimentOutcome: Equatable, Sendable {
    case passed
    case sloMissed
    /// A stop condition fired, the steady state did not hold before the faults, a step
    /// failed, or a signal arrived. Everything was rolled back.
    case aborted(String)

    public var exitCode: ExitCode {
        switch self {
        case .passed: return .ok
        case .sloMissed: return .failure
        case .aborted: return .aborted
        }
    }

    public var text: String {
        switch self {
        case .passed: return "PASSED"
        case .sloMissed: return "SLO MISSED"
        case .aborted(let why): return "ABORTED: \(why)"
        }
    }
}
