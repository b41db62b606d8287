import ArgumentParser
import ChaosCore
import Foundation

/// The CLI side of a held fault: journal and apply it, print what happened, hold it until
/// `--for` expires or SIGINT/SIGTERM (then revert and exit 128 + n), or leave it detached.
enum HeldFaultRun {
    static func say(_ line: String) {
        print(line)
        fflush(stdout)
    }

    /// - Parameter detachedEnd: how the user ends a detached fault ("`chaosctl recover --all`").
    static func applyAndHold(_ fault: Fault, lifecycle: FaultLifecycle, duration: String?, detach: Bool, detachedEnd: String) throws {
        let seconds = try FaultHoldRun.seconds(duration)
        if detach && seconds != nil {
            throw ChaosError("--detach and --for do not mix: a detached fault has nobody to revert it on time", exitCode: .usage)
        }
        let applied = { (record: FaultRecord) in
            say("applied \(fault.kind) on \(fault.target): \(fault.summary) [fault \(record.id)]")
        }
        if detach {
            applied(try lifecycle.apply(fault, held: false))
            say("detached: it stays until \(detachedEnd)")
            return
        }
        let outcome = try FaultHoldRun(lifecycle, seconds: seconds).run(fault) { record in
            applied(record)
            say(seconds.map { "holding for \(DurationParser.format($0)); Ctrl-C reverts now" } ?? "holding until Ctrl-C/SIGTERM")
        }
        if let (record, error) = outcome.failures.first {
            throw ChaosError("could not revert fault \(record.id): \(error); run `chaosctl recover`", exitCode: .failure)
        }
        switch outcome.ending {
        case .expired: say("reverted \(fault.kind) on \(fault.target) (time is up)")
        case .signal(let sig):
            say("reverted \(fault.kind) on \(fault.target) (signal \(sig))")
            throw ArgumentParser.ExitCode(SignalTrap.exitStatus(for: sig))
        }
    }
}
