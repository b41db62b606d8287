import ChaosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Healthy when a command exits with an expected code (and, optionally, its stdout matches a
/// regular expression) before the timeout. The command runs in a process group of its own so
/// that a timeout kills everything it started (`sh -c 'a | b'`, background jobs), not only the
/// shell.
public struct CommandProbe: Probe {
    public enum Invocation: Sendable, Equatable {
        /// Run through `/bin/sh -c`, so pipes and redirections work.
        case shell(String)
        /// Run an executable directly (looked up in PATH); no shell quoting involved.
        case argv([String])
    }

    public var name: String
    public var invocation: Invocation
    /// Exit codes that count as healthy (default: 0).
    public var expectedExitCodes: Set<Int32>
    /// When set, stdout must contain a match.
    public var stdoutPattern: String?
    /// Seconds before the process group is killed with SIGKILL and the check fails.
    public var timeout: Double
    private let stdoutRegex: NSRegularExpression?

    /// Throws when `stdoutPattern` is not a valid regular expression or argv is empty.
    public init(name: String? = nil, invocation: Invocation, expectedExitCodes: Set<Int32> = [0],
                stdoutPattern: String? = nil, timeout: Double = 5) throws {
        if case .argv(let argv) = invocation, argv.isEmpty {
            throw ProbeConfigurationError("command probe: argv is empty")
        }
        switch invocation {
        case .shell(let script): self.name = name ?? "command \(script)"
        case .argv(let argv): self.name = name ?? "command \(argv.joined(separator: " "))"
        }
        self.invocation = invocation
        self.expectedExitCodes = expectedExitCodes
        self.stdoutPattern = stdoutPattern
        self.timeout = timeout
        self.stdoutRegex = try stdoutPattern.map { try ProbeRegex.compile($0, field: "stdout pattern") }
    }

    public func check() -> ProbeCheck {
        let outcome: ProcessRunner.Outcome
        do {
            outcome = try ProcessRunner.run(argv: argv, timeout: timeout)
        } catch {
            return .failure("\(error)")
        }
        guard let status = outcome.exitStatus else {
            return .failure("timed out after \(DurationText.seconds(timeout)); killed process group \(outcome.pid)")
        }
        guard case .exited(let code) = status else {
            return .failure("\(status)")
        }
        guard expectedExitCodes.contains(code) else {
            let expected = expectedExitCodes.sorted().map(String.init).joined(separator: ",")
            let stderr = outcome.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return .failure("exit code \(code), expected \(expected)" + (stderr.isEmpty ? "" : ": \(stderr.prefix(200))"))
        }
        if let regex = stdoutRegex, !ProbeRegex.matches(regex, outcome.stdout) {
            return .failure("stdout does not match /\(stdoutPattern ?? "")/: \(outcome.stdout.prefix(200))")
        }
        return .healthy
    }

    private var argv: [String] {
        switch invocation {
        case .shell(let script): return ["/bin/sh", "-c", script]
        case .argv(let argv): return argv
        }
    }
}
