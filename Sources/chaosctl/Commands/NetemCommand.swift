import ArgumentParser
import ChaosCore
import ChaosNet

/// `chaosctl netem`: delay, loss, duplication, corruption, reordering and rate limits with
/// the kernel's netem qdisc, on a device in any network namespace.
public struct NetemCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "netem",
        abstract: "Impair a network device with netem (delay, loss, duplicate, corrupt, reorder, rate).",
        discussion: "Installs a root netem qdisc with handle ca05: and reverts it (restoring what was there) when the fault ends.",
        subcommands: [NetemApplyCommand.self, NetemShowCommand.self, NetemClearCommand.self])
    public init() {}
}

struct NetemShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a device's qdiscs and chaosctl's faults on it.")
    @OptionGroup var device: NetDeviceOptions
    func run() throws { try Failures.reporting { try NetCLI.show(device, kind: "netem") } }
}

struct NetemClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "End chaosctl's netem/tbf faults on a device and restore its qdisc.")
    @OptionGroup var device: NetDeviceOptions
    func run() throws { try Failures.reporting { try NetCLI.clear(device) } }
}
