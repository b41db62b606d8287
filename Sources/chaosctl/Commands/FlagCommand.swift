import ArgumentParser

struct FlagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flag",
        abstract: "Turn in-process fault flags on and off in the control file services read.",
        subcommands: [FlagEnableCommand.self, FlagDisableCommand.self, FlagListCommand.self, FlagWatchCommand.self])
}
