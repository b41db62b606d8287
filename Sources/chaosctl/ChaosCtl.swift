import ArgumentParser
import CChaosLaunch
import ChaosCore
#if canImport(Glibc)
import Glibc
#endif

/// The root of the command tree. Each subcommand lives in its own file under Commands/.
@main
struct ChaosCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaosctl",
        abstract: "Inject faults on purpose, revert them always, and prove recovery.",
        discussion: """
        Fault flags for in-process injection live in a control file (see docs/control-file.md); every fault chaosctl applies is journaled in a state directory so `chaosctl status` shows it and `chaosctl recover` reverts it after a crash.

        Exit status: 0 ok, 1 the action failed (or an SLO was missed), 2 bad command line or input file, 3 aborted, 4 unreachable, 5 unauthorized, 6 forbidden, 7 not found, 8 conflict, 9 unsupported, 10 permission (docs/cli.md).
        """,
        version: ChaosCtlVersion.string,
        subcommands: [
            FlagCommand.self,
            ProfileCommand.self,
            ProxyCommand.self,
            ToxicCommand.self,
            NetemCommand.self,
            TbfCommand.self,
            BlockCommand.self,
            ContainerCommand.self,
            StressCommand.self,
            PodCommand.self,
            NodeCommand.self,
            ScaleCommand.self,
            PartitionCommand.self,
            RunCommand.self,
            ValidateCommand.self,
            ProbeCommand.self,
            StatusCommand.self,
            RecoverCommand.self,
            DemoCommand.self,
            VersionCommand.self,
        ]
    )

    /// SIGINT/SIGTERM have been blocked since before main (CChaosLaunch): catch them before
    /// anything else runs. One that arrives while no fault is held ends chaosctl at once with
    /// 128 + n; one that a held fault's trap takes ends it through the revert.
    static func main() {
        SignalTrap.catchFromLaunch(untrapped: LaunchSignals.exitUntrapped)
        StandardOutput.lineBufferedUnlessTerminal()
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            exitWithUsageStatus(error)
        }
    }

    /// ArgumentParser's own message and usage, but a bad command line exits 2 like every
    /// other bad input (ArgumentParser would use 64, EX_USAGE); help and version stay 0.
    static func exitWithUsageStatus(_ error: Error) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        Failures.printRaw(fullMessage(for: error))
        fflush(stdout)
        Glibc.exit(ChaosCore.ExitCode.usage.rawValue)
    }
}

enum LaunchSignals {
    static func exitUntrapped(_ sig: Int32) -> Never {
        let name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "signal \(sig)"
        let line = Array("chaosctl: \(name): stopping (no fault held by this process)\n".utf8)
        _ = line.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count) }
        _exit(SignalTrap.exitStatus(for: sig))
    }
}

enum ChaosCtlVersion {
    static let string = "0.1.0"
}
