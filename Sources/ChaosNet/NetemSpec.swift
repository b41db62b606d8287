import ChaosCore

/// Every netem parameter, in kernel units: nanoseconds, bytes per second, and u32
/// probabilities (100 % = UINT32_MAX). Built from tc-style text by the CLI; `validate()`
/// refuses what tc or the kernel would refuse, before anything is sent.
public struct NetemSpec: Equatable, Sendable {
    public struct Rate: Equatable, Sendable {
        public var bytesPerSecond: UInt64
        public var packetOverhead: Int32 = 0
        public var cellSize: UInt32 = 0
        public var cellOverhead: Int32 = 0
        public init(bytesPerSecond: UInt64, packetOverhead: Int32 = 0, cellSize: UInt32 = 0, cellOverhead: Int32 = 0) {
            self.bytesPerSecond = bytesPerSecond
            self.packetOverhead = packetOverhead
            self.cellSize = cellSize
            self.cellOverhead = cellOverhead
        }
    }

    /// Packets leave in slots (e.g. Wi-Fi/LTE aggregation): every slot opens after a delay
    /// in [minDelay, maxDelay] (or drawn from a distribution) and passes up to the limits.
    public struct Slot: Equatable, Sendable {
        public var minDelayNs: UInt64
        public var maxDelayNs: UInt64
        public var maxPackets: Int32 = 0   // 0 = unlimited
        public var maxBytes: Int32 = 0     // 0 = unlimited
        public var distribution: DelayDistribution? = nil
        public var distDelayNs: UInt64 = 0
        public var distJitterNs: UInt64 = 0
        public init(minDelayNs: UInt64, maxDelayNs: UInt64, maxPackets: Int32 = 0, maxBytes: Int32 = 0) {
            self.minDelayNs = minDelayNs
            self.maxDelayNs = maxDelayNs
            self.maxPackets = maxPackets
            self.maxBytes = maxBytes
        }
    }

    public var delayNs: UInt64 = 0
    public var jitterNs: UInt64 = 0
    public var delayCorrelation: UInt32 = 0
    public var distribution: DelayDistribution = .uniform
    public var loss: NetemLoss? = nil
    public var ecn = false
    public var duplicate: UInt32 = 0
    public var duplicateCorrelation: UInt32 = 0
    public var corrupt: UInt32 = 0
    public var corruptCorrelation: UInt32 = 0
    public var reorder: UInt32 = 0
    public var reorderCorrelation: UInt32 = 0
    /// Reorder gap: every gap-th packet is a candidate for going out early. 0 = tc's default.
    public var gap: UInt32 = 0
    public var rate: Rate? = nil
    public var slot: Slot? = nil
    /// Queue length in packets (tc's default 1000).
    public var limit: UInt32 = 1000
    public var seed: UInt64? = nil

    public init() {}

    /// The gap actually sent: tc makes reordering without a gap mean gap 1.
    public var effectiveGap: UInt32 { reorder > 0 && gap == 0 ? 1 : gap }

    /// Refuse combinations tc refuses and values the kernel cannot hold.
    public func validate() throws {
        func bad(_ field: String, _ why: String) -> ChaosError { ChaosError("\(field): \(why)", exitCode: .usage) }
        if delayNs > UInt64(Int64.max) || jitterNs > UInt64(Int64.max) { throw bad("--delay", "is too long") }
        if distribution != .uniform && (delayNs == 0 || jitterNs == 0) {
            throw bad("--distribution", "needs both --delay and --jitter (the table shapes the jitter around the delay)")
        }
        if jitterNs > 0 && delayNs == 0 { throw bad("--jitter", "needs --delay") }
        if delayCorrelation > 0 && jitterNs == 0 { throw bad("--correlation", "correlates jitter; it needs --jitter") }
        if reorder > 0 && delayNs == 0 { throw bad("--reorder", "needs --delay (reordered packets skip the delay the others get)") }
        if gap > 0 && reorder == 0 { throw bad("--gap", "needs --reorder") }
        if reorderCorrelation > 0 && reorder == 0 { throw bad("--reorder-correlation", "needs --reorder") }
        if duplicateCorrelation > 0 && duplicate == 0 { throw bad("--duplicate-correlation", "needs --duplicate") }
        if corruptCorrelation > 0 && corrupt == 0 { throw bad("--corrupt-correlation", "needs --corrupt") }
        if ecn && loss == nil { throw bad("--ecn", "marks instead of dropping, so it needs --loss") }
        if limit == 0 { throw bad("--limit", "must be at least 1 packet") }
        if let rate {
            if rate.bytesPerSecond == 0 { throw bad("--rate", "must be above 0") }
            if rate.cellSize == 0 && rate.cellOverhead != 0 { throw bad("--cell-overhead", "needs --cell-size") }
        }
        if let slot {
            if slot.distribution == nil && slot.minDelayNs > slot.maxDelayNs {
                throw bad("--slot", "minimum delay is above the maximum")
            }
            if slot.maxPackets < 0 || slot.maxBytes < 0 { throw bad("--slot", "packet and byte limits must be positive") }
            if slot.distribution != nil && slot.distJitterNs == 0 { throw bad("--slot", "a distribution needs a jitter") }
        }
        if delayNs == 0 && loss == nil && duplicate == 0 && corrupt == 0 && rate == nil && slot == nil {
            throw bad("netem", "nothing to do: give at least one of --delay, --loss, --duplicate, --corrupt, --rate, --slot")
        }
    }

    /// tc's way of writing it, for journals and `show`.
    public var summary: String {
        let p = TcUnits.formatPercent, t = TcUnits.formatTime
        var parts: [String] = ["limit \(limit)"]
        if delayNs > 0 {
            var d = "delay \(t(delayNs))"
            if jitterNs > 0 { d += " \(t(jitterNs))" }
            if delayCorrelation > 0 { d += " \(p(delayCorrelation))" }
            parts.append(d)
            if distribution != .uniform { parts.append("distribution \(distribution.name)") }
        }
        if let loss { parts.append(loss.summary) }
        if ecn { parts.append("ecn") }
        if duplicate > 0 { parts.append("duplicate \(p(duplicate))" + (duplicateCorrelation > 0 ? " \(p(duplicateCorrelation))" : "")) }
        if reorder > 0 { parts.append("reorder \(p(reorder))" + (reorderCorrelation > 0 ? " \(p(reorderCorrelation))" : "") + " gap \(effectiveGap)") }
        if corrupt > 0 { parts.append("corrupt \(p(corrupt))" + (corruptCorrelation > 0 ? " \(p(corruptCorrelation))" : "")) }
        if let rate {
            var r = "rate \(TcUnits.formatRate(bytesPerSecond: rate.bytesPerSecond))"
            if rate.packetOverhead != 0 || rate.cellSize != 0 { r += " packetoverhead \(rate.packetOverhead)" }
            if rate.cellSize != 0 { r += " cellsize \(rate.cellSize) celloverhead \(rate.cellOverhead)" }
            parts.append(r)
        }
        if let slot {
            var s = slot.distribution.map { "slot distribution \($0.name) \(t(slot.distDelayNs)) \(t(slot.distJitterNs))" }
                ?? "slot \(t(slot.minDelayNs)) \(t(slot.maxDelayNs))"
            if slot.maxPackets > 0 { s += " packets \(slot.maxPackets)" }
            if slot.maxBytes > 0 { s += " bytes \(slot.maxBytes)" }
            parts.append(s)
        }
        if let seed { parts.append("seed \(seed)") }
        return parts.joined(separator: " ")
    }
}
