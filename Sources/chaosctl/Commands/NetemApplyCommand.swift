import ArgumentParser
import ChaosCore
import ChaosNet

/// `chaosctl netem apply`: every netem parameter, written as tc writes it.
struct NetemApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply netem to a device until --for expires or Ctrl-C.")

    @OptionGroup var device: NetDeviceOptions
    @OptionGroup var hold: NetHoldOptions

    @Option(help: "Added delay (100ms, 250us, 1s; bare = us).") var delay: String?
    @Option(help: "Delay jitter (+/-).") var jitter: String?
    @Option(help: "Delay correlation (25%).") var correlation: String?
    @Option(help: "Jitter distribution: uniform, normal, pareto, paretonormal, or a .dist file.") var distribution: String?
    @Option(help: "Loss: 5% | 'random 5% 25%' | 'gemodel P [R [1-H [1-K]]]' | 'state P13 [P31 [P32 [P23 [P14]]]]'.") var loss: String?
    @Option(help: "Random-loss correlation.") var lossCorrelation: String?
    @Flag(help: "Mark ECN instead of dropping, for ECN-capable packets.") var ecn = false
    @Option(help: "Duplicate this share of packets.") var duplicate: String?
    @Option(help: "Duplication correlation.") var duplicateCorrelation: String?
    @Option(help: "Corrupt (flip a bit in) this share of packets.") var corrupt: String?
    @Option(help: "Corruption correlation.") var corruptCorrelation: String?
    @Option(help: "Send this share of packets at once, ahead of the delayed rest (needs --delay).") var reorder: String?
    @Option(help: "Reorder correlation.") var reorderCorrelation: String?
    @Option(help: "Reorder gap: every Nth packet may go early.") var gap: String?
    @Option(help: "Rate limit (1mbit, 512kbit, 10mbps).") var rate: String?
    @Option(help: "Per-packet overhead for --rate, bytes (negative as --packet-overhead=-4).") var packetOverhead: String?
    @Option(help: "Cell size for --rate (e.g. 53 for ATM).") var cellSize: String?
    @Option(help: "Per-cell overhead for --rate, bytes.") var cellOverhead: String?
    @Option(help: "Slotting: 'MIN [MAX] [packets N] [bytes N]' or 'distribution NAME DELAY JITTER [packets N] [bytes N]'.") var slot: String?
    @Option(help: "Queue limit in packets (default 1000).") var limit: String?
    @Option(help: "Seed netem's random generator (Linux 6.3+).") var seed: String?

    /// The options model both this command and a `netem:` step build.
    func options() throws -> NetemFaultOptions {
        var v = device.values(force: hold.force)
        for (name, text) in [("delay", delay), ("jitter", jitter), ("correlation", correlation), ("distribution", distribution),
                             ("loss", loss), ("loss-correlation", lossCorrelation), ("duplicate", duplicate),
                             ("duplicate-correlation", duplicateCorrelation), ("corrupt", corrupt),
                             ("corrupt-correlation", corruptCorrelation), ("reorder", reorder),
                             ("reorder-correlation", reorderCorrelation), ("gap", gap), ("rate", rate),
                             ("packet-overhead", packetOverhead), ("cell-size", cellSize), ("cell-overhead", cellOverhead),
                             ("slot", slot), ("limit", limit), ("seed", seed)] {
            v.set(name, text)
        }
        v.set("ecn", flag: ecn)
        return try NetemFaultOptions(v)
    }

    func run() throws {
        try Failures.reporting {
            let options = try options()
            try NetCLI.applyAndHold(try options.fault(containerPid: try NetCLI.containerPid(options.placement)), hold: hold)
        }
    }
}
