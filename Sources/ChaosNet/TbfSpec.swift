import CNetlink
import ChaosCore

/// Token bucket filter parameters in kernel units (bytes, bytes per second, nanoseconds).
/// The queue bound is either `limitBytes` or `latencyNs` (converted to a limit as tc does).
public struct TbfSpec: Equatable, Sendable {
    public var rateBytesPerSecond: UInt64
    public var burstBytes: UInt32
    public var limitBytes: UInt32? = nil
    public var latencyNs: UInt64? = nil
    public var peakRateBytesPerSecond: UInt64? = nil
    public var mtuBytes: UInt32? = nil

    public init(rateBytesPerSecond: UInt64, burstBytes: UInt32, limitBytes: UInt32? = nil, latencyNs: UInt64? = nil,
                peakRateBytesPerSecond: UInt64? = nil, mtuBytes: UInt32? = nil) {
        self.rateBytesPerSecond = rateBytesPerSecond
        self.burstBytes = burstBytes
        self.limitBytes = limitBytes
        self.latencyNs = latencyNs
        self.peakRateBytesPerSecond = peakRateBytesPerSecond
        self.mtuBytes = mtuBytes
    }

    public func validate() throws {
        func bad(_ field: String, _ why: String) -> ChaosError { ChaosError("\(field): \(why)", exitCode: .usage) }
        if rateBytesPerSecond == 0 { throw bad("--rate", "must be above 0") }
        if burstBytes == 0 { throw bad("--burst", "must be above 0 (and at least the device MTU, or large packets never pass)") }
        switch (limitBytes, latencyNs) {
        case (nil, nil): throw bad("tbf", "give either --latency or --limit (how much may queue)")
        case (.some, .some): throw bad("tbf", "give --latency or --limit, not both")
        case (.some(let l), nil) where l == 0: throw bad("--limit", "must be above 0")
        default: break
        }
        if let peak = peakRateBytesPerSecond {
            if mtuBytes == nil || mtuBytes == 0 { throw bad("--peakrate", "needs --mtu (the peak bucket's size)") }
            if peak <= rateBytesPerSecond { throw bad("--peakrate", "must be above --rate") }
        } else if mtuBytes != nil {
            throw bad("--mtu", "only applies with --peakrate")
        }
        if effectiveLimit == 0 { throw bad("--latency", "gives a queue of 0 bytes") }
    }

    /// The byte limit sent: tc's rate × latency + burst (the smaller of that and the peak
    /// bucket's bound when a peak rate is set).
    public var effectiveLimit: UInt32 {
        if let limitBytes { return limitBytes }
        let latency = Double(latencyNs ?? 0) / 1e9
        var limit = Double(rateBytesPerSecond) * latency + Double(burstBytes)
        if let peak = peakRateBytesPerSecond, let mtu = mtuBytes {
            limit = min(limit, Double(peak) * latency + Double(mtu))
        }
        return UInt32(min(limit.rounded(.down), Double(UInt32.max)))
    }

    public var summary: String {
        var s = "rate \(TcUnits.formatRate(bytesPerSecond: rateBytesPerSecond)) burst \(TcUnits.formatSize(bytes: burstBytes))"
        if let latencyNs { s += " latency \(TcUnits.formatTime(ns: latencyNs))" } else { s += " limit \(effectiveLimit)b" }
        if let peak = peakRateBytesPerSecond { s += " peakrate \(TcUnits.formatRate(bytesPerSecond: peak))" }
        if let mtu = mtuBytes { s += " mtu \(mtu)" }
        return s
    }

    // MARK: TCA_OPTIONS (a nest of TCA_TBF_* attributes)

    /// Time to send `bytes` at `rate`, in scheduler ticks: tbf's qopt carries bucket sizes so.
    private static func ticks(bytes: UInt32, rate: UInt64) -> UInt32 {
        PschedTicks.fromNanoseconds(UInt64(Double(bytes) * 1e9 / Double(rate)))
    }

    private static func ratespec(_ rate: UInt64) -> tc_ratespec {
        var r = tc_ratespec()
        r.rate = rate >= UInt64(UInt32.max) ? UInt32.max : UInt32(rate)
        // Ethernet link layer: the kernel computes rates itself and needs no rate table.
        r.linklayer = UInt8(TC_LINKLAYER_ETHERNET.rawValue)
        return r
    }

    func encode(into msg: NetlinkMessage) throws {
        try msg.nest(TCA_OPTIONS) {
            var q = tc_tbf_qopt()
            q.rate = Self.ratespec(rateBytesPerSecond)
            q.buffer = Self.ticks(bytes: burstBytes, rate: rateBytesPerSecond)
            q.limit = effectiveLimit
            if let peak = peakRateBytesPerSecond, let mtu = mtuBytes {
                q.peakrate = Self.ratespec(peak)
                q.mtu = Self.ticks(bytes: mtu, rate: peak)
            }
            try msg.put(TCA_TBF_PARMS, q)
            if rateBytesPerSecond >= UInt64(UInt32.max) { try msg.put(TCA_TBF_RATE64, rateBytesPerSecond) }
            // Bucket sizes in bytes, so the kernel need not round-trip them through ticks.
            try msg.put(TCA_TBF_BURST, burstBytes)
            if let peak = peakRateBytesPerSecond, let mtu = mtuBytes {
                if peak >= UInt64(UInt32.max) { try msg.put(TCA_TBF_PRATE64, peak) }
                try msg.put(TCA_TBF_PBURST, mtu)
            }
        }
    }

    /// Read back a dump. The kernel reports buckets in ticks only, so burst and mtu are
    /// recomputed from time × rate (as tc does), and the bound comes back as a limit.
    static func decode(_ bytes: [UInt8]) -> TbfSpec? {
        let attrs = NetlinkAttribute.parse(bytes)
        guard let q = attrs.first(TCA_TBF_PARMS)?.load(tc_tbf_qopt.self) else { return nil }
        var rate = UInt64(q.rate.rate)
        if let r64 = attrs.first(TCA_TBF_RATE64)?.load(UInt64.self) { rate = r64 }
        guard rate > 0 else { return nil }
        func bytesFor(ticks: UInt32, rate: UInt64) -> UInt32 {
            UInt32(min((Double(PschedTicks.toNanoseconds(ticks)) * Double(rate) / 1e9).rounded(), Double(UInt32.max)))
        }
        var spec = TbfSpec(rateBytesPerSecond: rate, burstBytes: bytesFor(ticks: q.buffer, rate: rate), limitBytes: q.limit)
        if q.peakrate.rate > 0 {
            var peak = UInt64(q.peakrate.rate)
            if let p64 = attrs.first(TCA_TBF_PRATE64)?.load(UInt64.self) { peak = p64 }
            spec.peakRateBytesPerSecond = peak
            spec.mtuBytes = bytesFor(ticks: q.mtu, rate: peak)
        }
        return spec
    }
}
