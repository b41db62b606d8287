import ArgumentParser

/// The root of the command tree. Each subcommand lives in its own file under Commands/.
@main
struct ChaosCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaosctl",
        abstract: "Inject faults on purpose, revert them always, and prove recovery.",
        discussion: """
        Fault flags for in-process injection live in a control file (see docs/control-file.md);
        every fault chaosctl applies is journaled in a state directory so `chaosctl status`
        shows it and `chaosctl recover` reverts it after a crash.
        """,
        version: ChaosCtlVersion.string,
        subcommands: [
            FlagCommand.self,
            ProfileCommand.self,
            ProxyCommand.self,
            ToxicCommand.self,
            NetemCommand.self,
            TbfCommand.self,
            ContainerCommand.self,
            PodCommand.self,
            RunCommand.self,
            ValidateCommand.self,
            ProbeCommand.self,
            StatusCommand.self,
            RecoverCommand.self,
            DemoCommand.self,
        ]
    )
}

enum ChaosCtlVersion {
    static let string = "0.1.0"
}
