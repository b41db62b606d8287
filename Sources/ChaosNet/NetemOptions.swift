import CNetlink
import ChaosCore

/// netem's TCA_OPTIONS: a `struct tc_netem_qopt` followed by netem attributes (not a plain
/// nest, which is why libnl's rtnl_netem_* cannot be extended and we write it ourselves).
enum NetemOptions {
    /// Newer than the 6.1 uapi headers Debian 12 ships (the kernel added it in 6.3).
    static let TCA_NETEM_PRNG_SEED = 14

    /// Write TCA_OPTIONS for `spec`. `dist` and `slotDist` are the loaded tables.
    static func encode(_ spec: NetemSpec, dist: [Int16]?, slotDist: [Int16]?, into msg: NetlinkMessage) throws {
        try msg.nest(TCA_OPTIONS) {
            var qopt = tc_netem_qopt()
            // Legacy 32-bit tick fields; LATENCY64/JITTER64 below carry the exact values.
            qopt.latency = PschedTicks.fromNanoseconds(spec.delayNs)
            qopt.jitter = PschedTicks.fromNanoseconds(spec.jitterNs)
            qopt.limit = spec.limit
            if case .random(let p, _) = spec.loss { qopt.loss = p }
            qopt.gap = spec.effectiveGap
            qopt.duplicate = spec.duplicate
            try msg.append(qopt, what: "tc_netem_qopt")

            var lossCorrelation: UInt32 = 0
            if case .random(_, let c) = spec.loss { lossCorrelation = c }
            if spec.delayCorrelation > 0 || lossCorrelation > 0 || spec.duplicateCorrelation > 0 {
                try msg.put(TCA_NETEM_CORR, tc_netem_corr(delay_corr: spec.delayCorrelation,
                                                           loss_corr: lossCorrelation,
                                                           dup_corr: spec.duplicateCorrelation))
            }
            if let dist { try msg.put(TCA_NETEM_DELAY_DIST, bytes: int16Bytes(dist)) }
            if spec.reorder > 0 {
                try msg.put(TCA_NETEM_REORDER, tc_netem_reorder(probability: spec.reorder, correlation: spec.reorderCorrelation))
            }
            if spec.corrupt > 0 {
                try msg.put(TCA_NETEM_CORRUPT, tc_netem_corrupt(probability: spec.corrupt, correlation: spec.corruptCorrelation))
            }
            switch spec.loss {
            case let .gilbertElliott(p, r, h, k)?:
                try msg.nest(TCA_NETEM_LOSS) {
                    try msg.put(NETEM_LOSS_GE, tc_netem_gemodel(p: p, r: r, h: h, k1: k))
                }
            case let .fourState(p13, p31, p32, p23, p14)?:
                try msg.nest(TCA_NETEM_LOSS) {
                    try msg.put(NETEM_LOSS_GI, tc_netem_gimodel(p13: p13, p31: p31, p32: p32, p14: p14, p23: p23))
                }
            default: break
            }
            if let rate = spec.rate {
                // Rates of 4 GiB/s and up do not fit the u32; the kernel then reads RATE64.
                let big = rate.bytesPerSecond >= UInt64(UInt32.max)
                try msg.put(TCA_NETEM_RATE, tc_netem_rate(rate: big ? UInt32.max : UInt32(rate.bytesPerSecond),
                                                          packet_overhead: rate.packetOverhead,
                                                          cell_size: rate.cellSize, cell_overhead: rate.cellOverhead))
                if big { try msg.put(TCA_NETEM_RATE64, rate.bytesPerSecond) }
            }
            if spec.ecn { try msg.put(TCA_NETEM_ECN, UInt32(1)) }
            if spec.delayNs > 0 { try msg.put(TCA_NETEM_LATENCY64, Int64(spec.delayNs)) }
            if spec.jitterNs > 0 { try msg.put(TCA_NETEM_JITTER64, Int64(spec.jitterNs)) }
            if let slot = spec.slot {
                var s = tc_netem_slot()
                s.min_delay = Int64(slot.minDelayNs)
                s.max_delay = Int64(slot.maxDelayNs)
                s.max_packets = slot.maxPackets
                s.max_bytes = slot.maxBytes
                s.dist_delay = Int64(slot.distDelayNs)
                s.dist_jitter = Int64(slot.distJitterNs)
                try msg.put(TCA_NETEM_SLOT, s)
                if let slotDist { try msg.put(TCA_NETEM_SLOT_DIST, bytes: int16Bytes(slotDist)) }
            }
            if let seed = spec.seed { try msg.put(TCA_NETEM_PRNG_SEED, seed) }
        }
    }

    private static func int16Bytes(_ values: [Int16]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    /// Read back what the kernel dumps (the same layout; distribution tables are not dumped,
    /// so `distribution` stays uniform, and the kernel always reports the PRNG seed it uses).
    static func decode(_ bytes: [UInt8]) -> NetemSpec? {
        guard let qopt = NetlinkAttribute.load(tc_netem_qopt.self, from: bytes[...]) else { return nil }
        var spec = NetemSpec()
        spec.delayNs = PschedTicks.toNanoseconds(qopt.latency)
        spec.jitterNs = PschedTicks.toNanoseconds(qopt.jitter)
        spec.limit = qopt.limit
        spec.gap = qopt.gap
        spec.duplicate = qopt.duplicate
        if qopt.loss > 0 { spec.loss = .random(probability: qopt.loss, correlation: 0) }
        let headerLength = (MemoryLayout<tc_netem_qopt>.size + 3) & ~3
        let attrs = NetlinkAttribute.parse(bytes.dropFirst(headerLength))
        if let corr = attrs.first(TCA_NETEM_CORR)?.load(tc_netem_corr.self) {
            spec.delayCorrelation = corr.delay_corr
            spec.duplicateCorrelation = corr.dup_corr
            if case .random(let p, _) = spec.loss { spec.loss = .random(probability: p, correlation: corr.loss_corr) }
        }
        if let r = attrs.first(TCA_NETEM_REORDER)?.load(tc_netem_reorder.self) {
            spec.reorder = r.probability
            spec.reorderCorrelation = r.correlation
        }
        if spec.reorder == 0 && spec.gap == 1 { spec.gap = 0 }
        if let c = attrs.first(TCA_NETEM_CORRUPT)?.load(tc_netem_corrupt.self) {
            spec.corrupt = c.probability
            spec.corruptCorrelation = c.correlation
        }
        if let nested = attrs.first(TCA_NETEM_LOSS) {
            let models = NetlinkAttribute.parse(nested.payload)
            if let ge = models.first(NETEM_LOSS_GE)?.load(tc_netem_gemodel.self) {
                spec.loss = .gilbertElliott(p: ge.p, r: ge.r, oneMinusH: ge.h, oneMinusK: ge.k1)
            } else if let gi = models.first(NETEM_LOSS_GI)?.load(tc_netem_gimodel.self) {
                spec.loss = .fourState(p13: gi.p13, p31: gi.p31, p32: gi.p32, p23: gi.p23, p14: gi.p14)
            }
        }
        if let r = attrs.first(TCA_NETEM_RATE)?.load(tc_netem_rate.self), r.rate > 0 {
            var rate = NetemSpec.Rate(bytesPerSecond: UInt64(r.rate), packetOverhead: r.packet_overhead,
                                      cellSize: r.cell_size, cellOverhead: r.cell_overhead)
            if let r64 = attrs.first(TCA_NETEM_RATE64)?.load(UInt64.self) { rate.bytesPerSecond = r64 }
            spec.rate = rate
        }
        if let ecn = attrs.first(TCA_NETEM_ECN)?.load(UInt32.self) { spec.ecn = ecn != 0 }
        if let l = attrs.first(TCA_NETEM_LATENCY64)?.load(Int64.self) { spec.delayNs = UInt64(max(0, l)) }
        if let j = attrs.first(TCA_NETEM_JITTER64)?.load(Int64.self) { spec.jitterNs = UInt64(max(0, j)) }
        if let s = attrs.first(TCA_NETEM_SLOT)?.load(tc_netem_slot.self) {
            var slot = NetemSpec.Slot(minDelayNs: UInt64(max(0, s.min_delay)), maxDelayNs: UInt64(max(0, s.max_delay)),
                                      maxPackets: s.max_packets == Int32.max ? 0 : s.max_packets,
                                      maxBytes: s.max_bytes == Int32.max ? 0 : s.max_bytes)
            slot.distDelayNs = UInt64(max(0, s.dist_delay))
            slot.distJitterNs = UInt64(max(0, s.dist_jitter))
            spec.slot = slot
        }
        if let seed = attrs.first(TCA_NETEM_PRNG_SEED)?.load(UInt64.self) { spec.seed = seed }
        return spec
    }
}

/// The kernel's packet-scheduler clock: one tick is 64 ns (PSCHED_SHIFT = 6, as
/// /proc/net/psched's second field says).
enum PschedTicks {
    static let nanosecondsPerTick: UInt64 = 64
    static func fromNanoseconds(_ ns: UInt64) -> UInt32 { UInt32(min(ns / nanosecondsPerTick, UInt64(UInt32.max))) }
    static func toNanoseconds(_ ticks: UInt32) -> UInt64 { UInt64(ticks) * nanosecondsPerTick }
}
