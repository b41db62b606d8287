import ChaosCore

/// Every option of a netem fault, typed: what `chaosctl netem apply` and a `netem:` step
/// both build from their option values (names as the CLI spells them, tc's units).
public struct NetemFaultOptions: Equatable, Sendable {
    public var placement: QdiscPlacementOptions
    public var spec: NetemSpec

    public static let optionNames = QdiscPlacementOptions.optionNames + [
        "delay", "jitter", "correlation", "distribution", "loss", "loss-correlation", "ecn", "duplicate",
        "duplicate-correlation", "corrupt", "corrupt-correlation", "reorder", "reorder-correlation", "gap", "rate",
        "packet-overhead", "cell-size", "cell-overhead", "slot", "limit", "seed",
    ]

    public init(placement: QdiscPlacementOptions, spec: NetemSpec) {
        self.placement = placement
        self.spec = spec
    }

    /// Parse and validate every option; the first bad one is thrown, named.
    public init(_ v: OptionValues) throws {
        placement = try QdiscPlacementOptions(v)
        var s = NetemSpec()
        func pct(_ name: String) throws -> UInt32? { try v.parse(name) { try TcUnits.probability($0, field: "--\(name)") } }
        func time(_ name: String) throws -> UInt64? { try v.parse(name) { try TcUnits.time($0, field: "--\(name)") } }
        func int<T: FixedWidthInteger>(_ name: String, _ type: T.Type) throws -> T? {
            try v.parse(name) { try TcUnits.integer($0, field: "--\(name)", as: type) }
        }
        if let d = try time("delay") { s.delayNs = d }
        if let j = try time("jitter") { s.jitterNs = j }
        if let c = try pct("correlation") { s.delayCorrelation = c }
        if let d = v.text("distribution") { s.distribution = DelayDistribution(d) }
        let lossCorrelation = try pct("loss-correlation")
        if let loss = try v.parse("loss", { try NetemLoss.parse($0, correlation: lossCorrelation ?? 0) }) { s.loss = loss }
        if lossCorrelation != nil {
            guard case .random = s.loss else {
                throw OptionValueError(option: "loss-correlation", value: v.text("loss-correlation"),
                                       reason: "applies to random loss only (give --loss PERCENT)")
            }
        }
        s.ecn = try v.flag("ecn")
        if let p = try pct("duplicate") { s.duplicate = p }
        if let p = try pct("duplicate-correlation") { s.duplicateCorrelation = p }
        if let p = try pct("corrupt") { s.corrupt = p }
        if let p = try pct("corrupt-correlation") { s.corruptCorrelation = p }
        if let p = try pct("reorder") { s.reorder = p }
        if let p = try pct("reorder-correlation") { s.reorderCorrelation = p }
        if let g = try int("gap", UInt32.self) { s.gap = g }
        let packetOverhead = try int("packet-overhead", Int32.self)
        let cellSize = try int("cell-size", UInt32.self)
        let cellOverhead = try int("cell-overhead", Int32.self)
        if let rate = try v.parse("rate", { try TcUnits.rate($0, field: "--rate") }) {
            s.rate = NetemSpec.Rate(bytesPerSecond: rate, packetOverhead: packetOverhead ?? 0, cellSize: cellSize ?? 0,
                                    cellOverhead: cellOverhead ?? 0)
        } else if packetOverhead != nil || cellSize != nil || cellOverhead != nil {
            throw ChaosError("--packet-overhead, --cell-size and --cell-overhead need --rate", exitCode: .usage)
        }
        if let slot = try v.parse("slot", NetemSlotParser.parse) { s.slot = slot }
        if let l = try int("limit", UInt32.self) { s.limit = l }
        s.seed = try int("seed", UInt64.self)
        try s.validate()
        spec = s
    }

    /// The fault (distribution tables loaded now, so a missing one is refused before
    /// anything is journaled). `containerPid`: see `QdiscPlacementOptions.target`.
    public func fault(containerPid: Int32? = nil) throws -> NetemFault {
        try NetemFault(spec, on: try placement.target(containerPid: containerPid))
    }
}

/// tc's slot phrase: 'MIN [MAX] [packets N] [bytes N]' or 'distribution NAME DELAY JITTER [packets N] [bytes N]'.
public enum NetemSlotParser {
    public static func parse(_ text: String) throws -> NetemSpec.Slot {
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
