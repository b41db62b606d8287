import ArgumentParser

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try chaosctl with nothing else installed: an embedded service, proxy and experiment.",
        subcommands: [DemoRunCommand.self, DemoFlagsCommand.self, DemoServiceCommand.self],
        defaultSubcommand: DemoRunCommand.self)
}
