import Foundation

/// Exit codes shared by every chaosctl command, so scripts can tell failures apart.
public enum ExitCode: Int32, Sendable {
    case ok = 0
    case failure = 1          // the action ran and failed (or an SLO was missed, for `run`)
    case usage = 2            // bad command line or bad input file
    case aborted = 3          // a run stopped early (stop condition, signal)
    case unreachable = 4      // an API or socket could not be reached
    case unauthorized = 5     // 401: credentials missing or rejected
    case forbidden = 6        // 403: credentials accepted, verb not allowed
    case notFound = 7         // the named target does not exist / nothing matched
    case conflict = 8         // state does not allow it (port in use, foreign qdisc, PDB)
    case unsupported = 9      // the kernel or engine lacks the feature (e.g. no sch_netem)
    case permission = 10      // missing privilege (CAP_NET_ADMIN, file permissions)
}

/// An error every layer can throw: a message a person can act on, and the exit code it maps to.
public protocol ChaosFailure: Error, CustomStringConvertible {
    var exitCode: ExitCode { get }
}

/// Plain failure with a message, for the cases that need no structure of their own.
public struct ChaosError: ChaosFailure {
    public var message: String
    public var exitCode: ExitCode
    public init(_ message: String, exitCode: ExitCode = .failure) {
        self.message = message
        self.exitCode = exitCode
    }
    public var description: String { message }
}
