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
    @Option(help: "Reorder gap: every Nth packet may go early.") var gap: UInt32?
    @Option(help: "Rate limit (1mbit, 512kbit, 10mbps).") var rate: String?
    @Option(help: "Per-packet overhead for --rate, bytes (negative as --packet-overhead=-4).") var packetOverhead: Int32?
    @Option(help: "Cell size for --rate (e.g. 53 for ATM).") var cellSize: UInt32?
    @Option(help: "Per-cell overhead for --rate, bytes.") var cellOverhead: Int32?
    @Option(help: "Slotting: 'MIN [MAX] [packets N] [bytes N]' or 'distribution NAME DELAY JITTER [packets N] [bytes N]'.") var slot: String?
    @Option(help: "Queue limit in packets (default 1000).") var limit: UInt32?
    @Option(help: "Seed netem's random generator (Linux 6.3+).") var seed: UInt64?

    func spec() throws -> NetemSpec {
        var s = NetemSpec()
        let pct = TcUnits.probability
        if let delay { s.delayNs = try TcUnits.time(delay, field: "--delay") }
        if let jitter { s.jitterNs = try TcUnits.time(jitter, field: "--jitter") }
        if let correlation { s.delayCorrelation = try pct(correlation, "--correlation") }
        if let distribution { s.distribution = DelayDistribution(distribution) }
        let lossCorr = try lossCorrelation.map { try pct($0, "--loss-correlation") }
        if let loss { s.loss = try NetemLoss.parse(loss, correlation: lossCorr ?? 0) }
        if lossCorr != nil {
            guard case .random = s.loss else {
                throw ChaosError("--loss-correlation: applies to random loss only (give --loss PERCENT)", exitCode: .usage)
            }
        }
        s.ecn = ecn
        if let duplicate { s.duplicate = try pct(duplicate, "--duplicate") }
        if let duplicateCorrelation { s.duplicateCorrelation = try pct(duplicateCorrelation, "--duplicate-correlation") }
        if let corrupt { s.corrupt = try pct(corrupt, "--corrupt") }
        if let corruptCorrelation { s.corruptCorrelation = try pct(corruptCorrelation, "--corrupt-correlation") }
        if let reorder { s.reorder = try pct(reorder, "--reorder") }
        if let reorderCorrelation { s.reorderCorrelation = try pct(reorderCorrelation, "--reorder-correlation") }
        if let gap { s.gap = gap }
        if let rate {
            var r = NetemSpec.Rate(bytesPerSecond: try TcUnits.rate(rate, field: "--rate"))
            r.packetOverhead = packetOverhead ?? 0
            r.cellSize = cellSize ?? 0
            r.cellOverhead = cellOverhead ?? 0
            s.rate = r
        } else if packetOverhead != nil || cellSize != nil || cellOverhead != nil {
            throw ChaosError("--packet-overhead, --cell-size and --cell-overhead need --rate", exitCode: .usage)
        }
        if let slot { s.slot = try NetemSlotParser.parse(slot) }
        if let limit { s.limit = limit }
        s.seed = seed
        return s
    }

    func run() throws {
        try Failures.reporting {
            let fault = try NetemFault(try spec(), on: try device.target(force: hold.force))
            try NetCLI.applyAndHold(fault, hold: hold)
        }
    }
}

/// tc's slot phrase.
enum NetemSlotParser {
    static func parse(_ text: String) throws -> NetemSpec.Slot {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var packets: Int32 = 0, bytes: Int32 = 0
        // Trailing "packets N" / "bytes N" in any order.
        while words.count >= 2, let key = words.dropLast().last?.lowercased(), key == "packets" || key == "bytes" {
            let n = try TcUnits.integer(words.last!, field: "--slot \(key)", as: Int32.self)
            if key == "packets" { packets = n } else { bytes = n }
            words.removeLast(2)
        }
        var slot: NetemSpec.Slot
        if words.first?.lowercased() == "distribution" {
            guard words.count == 4 else {
                throw ChaosError("--slot: 'distribution NAME DELAY JITTER [packets N] [bytes N]'", exitCode: .usage)
            }
            slot = NetemSpec.Slot(minDelayNs: 0, maxDelayNs: 0)
            slot.distribution = DelayDistribution(words[1])
            slot.distDelayNs = try TcUnits.time(words[2], field: "--slot delay")
            slot.distJitterNs = try TcUnits.time(words[3], field: "--slot jitter")
        } else {
            guard words.count == 1 || words.count == 2 else {
                throw ChaosError("--slot: 'MIN_DELAY [MAX_DELAY] [packets N] [bytes N]'", exitCode: .usage)
            }
            let min = try TcUnits.time(words[0], field: "--slot min")
            let max = words.count == 2 ? try TcUnits.time(words[1], field: "--slot max") : min
            slot = NetemSpec.Slot(minDelayNs: min, maxDelayNs: max)
        }
        slot.maxPackets = packets
        slot.maxBytes = bytes
        return slot
    }
}
