import ArgumentParser
import ChaosCore
import ChaosNet

/// `chaosctl tbf`: rate-limit a device with a token bucket filter.
public struct TbfCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tbf",
        abstract: "Rate-limit a network device with a token bucket filter (tbf).",
        discussion: "Installs a root tbf qdisc with handle ca05: and reverts it (restoring what was there) when the fault ends.",
        subcommands: [TbfApplyCommand.self, TbfShowCommand.self, TbfClearCommand.self])
    public init() {}
}

struct TbfApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "Apply tbf to a device until --for expires or Ctrl-C.")
    @OptionGroup var device: NetDeviceOptions
    @OptionGroup var hold: NetHoldOptions

    @Option(help: "Sustained rate (1mbit, 512kbit, 10mbps).") var rate: String?
    @Option(help: "Bucket size (32kbit, 10k, 1600): how much may pass at line speed.") var burst: String?
    @Option(help: "Longest a packet may wait in the queue (50ms); or give --limit.") var latency: String?
    @Option(help: "Queue size in bytes (10k); or give --latency.") var limit: String?
    @Option(help: "Peak rate for the second bucket (needs --mtu).") var peakrate: String?
    @Option(help: "Peak bucket size (usually the device MTU, e.g. 1514).") var mtu: String?

    /// The options model both this command and a `tbf:` step build.
    func options() throws -> TbfFaultOptions {
        var v = device.values(force: hold.force)
        for (name, text) in [("rate", rate), ("burst", burst), ("latency", latency), ("limit", limit),
                             ("peakrate", peakrate), ("mtu", mtu)] {
            v.set(name, text)
        }
        return try TbfFaultOptions(v)
    }

    func run() throws {
        try Failures.reporting {
            let options = try options()
            try NetCLI.applyAndHold(try options.fault(containerPid: try NetCLI.containerPid(options.placement)), hold: hold)
        }
    }
}

struct TbfShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a device's qdiscs and chaosctl's faults on it.")
    @OptionGroup var device: NetDeviceOptions
    func run() throws { try Failures.reporting { try NetCLI.show(device, kind: "tbf") } }
}

struct TbfClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "End chaosctl's netem/tbf faults on a device and restore its qdisc.")
    @OptionGroup var device: NetDeviceOptions
    func run() throws { try Failures.reporting { try NetCLI.clear(device) } }
}
