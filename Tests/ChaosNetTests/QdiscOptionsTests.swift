import CNetlink
import ChaosCore
@testable import ChaosNet
import XCTest

/// The TCA_OPTIONS bytes chaosctl builds with libnl, checked field by field and read back.
final class QdiscOptionsTests: XCTestCase {
    private func pct(_ p: Double) -> UInt32 { TcUnits.scalePercent(p) }

    private func options(_ build: (NetlinkMessage) throws -> Void) throws -> [UInt8] {
        let msg = try NetlinkMessage(type: Int32(RTM_NEWQDISC), flags: 0)
        try build(msg)
        let attrs = NetlinkAttribute.parse(msg.bytes.dropFirst(16))
        return try XCTUnwrap(attrs.first(where: { $0.type == TCA_OPTIONS })).payload
    }

    func testNetemQoptThenAttributes() throws {
        var s = NetemSpec()
        s.delayNs = 100_000_000
        s.jitterNs = 20_000_000
        s.delayCorrelation = pct(25)
        s.loss = .random(probability: pct(5), correlation: pct(10))
        s.duplicate = pct(1)
        s.reorder = pct(30)
        s.corrupt = pct(2)
        s.limit = 777
        s.ecn = true
        s.rate = .init(bytesPerSecond: 125_000, packetOverhead: -4, cellSize: 53, cellOverhead: 5)
        let bytes = try options { try NetemOptions.encode(s, dist: [1, 2, 3], slotDist: nil, into: $0) }

        let q = try XCTUnwrap(NetlinkAttribute.load(tc_netem_qopt.self, from: bytes[...]))
        XCTAssertEqual(q.latency, 100_000_000 / 64)   // psched ticks
        XCTAssertEqual(q.jitter, 20_000_000 / 64)
        XCTAssertEqual(q.limit, 777)
        XCTAssertEqual(q.loss, pct(5))
        XCTAssertEqual(q.duplicate, pct(1))
        XCTAssertEqual(q.gap, 1)

        let attrs = NetlinkAttribute.parse(bytes.dropFirst(MemoryLayout<tc_netem_qopt>.size))
        XCTAssertEqual(attrs.first(TCA_NETEM_LATENCY64)?.load(Int64.self), 100_000_000)
        XCTAssertEqual(attrs.first(TCA_NETEM_JITTER64)?.load(Int64.self), 20_000_000)
        let corr = try XCTUnwrap(attrs.first(TCA_NETEM_CORR)?.load(tc_netem_corr.self))
        XCTAssertEqual([corr.delay_corr, corr.loss_corr, corr.dup_corr], [pct(25), pct(10), 0])
        XCTAssertEqual(attrs.first(TCA_NETEM_DELAY_DIST)?.payload, [1, 0, 2, 0, 3, 0])  // s16 little-endian
        XCTAssertEqual(attrs.first(TCA_NETEM_ECN)?.load(UInt32.self), 1)
        let rate = try XCTUnwrap(attrs.first(TCA_NETEM_RATE)?.load(tc_netem_rate.self))
        XCTAssertEqual(rate.rate, 125_000)
        XCTAssertEqual(rate.packet_overhead, -4)
        XCTAssertEqual(rate.cell_size, 53)
        XCTAssertNil(attrs.first(TCA_NETEM_RATE64))
        XCTAssertNil(attrs.first(TCA_NETEM_LOSS))

        var back = try XCTUnwrap(NetemOptions.decode(bytes))
        XCTAssertEqual(back.distribution, .uniform)   // tables are write-only in the kernel too
        back.distribution = s.distribution
        XCTAssertEqual(back.gap, 1)   // the kernel reports the gap in force
        back.gap = s.gap
        XCTAssertEqual(back, s)
    }

    func testLossModelsAreNestedUnderTcaNetemLoss() throws {
        var s = NetemSpec()
        s.loss = .gilbertElliott(p: pct(1), r: pct(10), oneMinusH: pct(70), oneMinusK: pct(0.1))
        var bytes = try options { try NetemOptions.encode(s, dist: nil, slotDist: nil, into: $0) }
        var attrs = NetlinkAttribute.parse(bytes.dropFirst(24))
        let nested = NetlinkAttribute.parse(try XCTUnwrap(attrs.first(TCA_NETEM_LOSS)).payload)
        let ge = try XCTUnwrap(nested.first(NETEM_LOSS_GE)?.load(tc_netem_gemodel.self))
        XCTAssertEqual([ge.p, ge.r, ge.h, ge.k1], [pct(1), pct(10), pct(70), pct(0.1)])
        XCTAssertEqual(NetemOptions.decode(bytes)?.loss, s.loss)
        XCTAssertEqual(NetlinkAttribute.load(tc_netem_qopt.self, from: bytes[...])?.loss, 0)

        s.loss = .fourState(p13: pct(1), p31: pct(2), p32: pct(3), p23: pct(4), p14: pct(5))
        bytes = try options { try NetemOptions.encode(s, dist: nil, slotDist: nil, into: $0) }
        attrs = NetlinkAttribute.parse(bytes.dropFirst(24))
        let gi = try XCTUnwrap(NetlinkAttribute.parse(try XCTUnwrap(attrs.first(TCA_NETEM_LOSS)).payload)
            .first(NETEM_LOSS_GI)?.load(tc_netem_gimodel.self))
        XCTAssertEqual([gi.p13, gi.p31, gi.p32, gi.p23, gi.p14], [pct(1), pct(2), pct(3), pct(4), pct(5)])
        XCTAssertEqual(NetemOptions.decode(bytes)?.loss, s.loss)
    }

    func testSixtyFourBitDelaysRatesSlotAndSeed() throws {
        var s = NetemSpec()
        s.delayNs = 10_000_000_000_000   // 10 000 s: past the u32 tick field
        s.rate = .init(bytesPerSecond: 5_000_000_000)  // 40gbit: past the u32 rate
        s.slot = .init(minDelayNs: 1_000_000, maxDelayNs: 2_000_000, maxPackets: 5, maxBytes: 3000)
        s.seed = 42
        let bytes = try options { try NetemOptions.encode(s, dist: nil, slotDist: nil, into: $0) }
        let q = try XCTUnwrap(NetlinkAttribute.load(tc_netem_qopt.self, from: bytes[...]))
        XCTAssertEqual(q.latency, UInt32.max)
        let attrs = NetlinkAttribute.parse(bytes.dropFirst(24))
        XCTAssertEqual(attrs.first(TCA_NETEM_LATENCY64)?.load(Int64.self), 10_000_000_000_000)
        XCTAssertEqual(attrs.first(TCA_NETEM_RATE)?.load(tc_netem_rate.self)?.rate, UInt32.max)
        XCTAssertEqual(attrs.first(TCA_NETEM_RATE64)?.load(UInt64.self), 5_000_000_000)
        let slot = try XCTUnwrap(attrs.first(TCA_NETEM_SLOT)?.load(tc_netem_slot.self))
        XCTAssertEqual([slot.min_delay, slot.max_delay], [1_000_000, 2_000_000])
        XCTAssertEqual([slot.max_packets, slot.max_bytes], [5, 3000])
        XCTAssertEqual(attrs.first(NetemOptions.TCA_NETEM_PRNG_SEED)?.load(UInt64.self), 42)
        XCTAssertEqual(NetemOptions.decode(bytes), s)
    }

    func testFullDistributionTableFitsInOneMessage() throws {
        var s = NetemSpec()
        s.delayNs = 1_000_000
        s.jitterNs = 100_000
        let table = [Int16](repeating: 7, count: DelayDistribution.maxEntries)
        let bytes = try options { try NetemOptions.encode(s, dist: table, slotDist: nil, into: $0) }
        let attrs = NetlinkAttribute.parse(bytes.dropFirst(24))
        XCTAssertEqual(attrs.first(TCA_NETEM_DELAY_DIST)?.payload.count, 2 * DelayDistribution.maxEntries)
    }

    func testTbfLimitFromLatencyAndRoundTrip() throws {
        // tc: limit = rate × latency + burst = 125000 B/s × 0.05 s + 4096 B.
        var t = TbfSpec(rateBytesPerSecond: 125_000, burstBytes: 4096, latencyNs: 50_000_000)
        XCTAssertEqual(t.effectiveLimit, 10_346)
        XCTAssertNoThrow(try t.validate())
        let bytes = try options { try t.encode(into: $0) }
        let attrs = NetlinkAttribute.parse(bytes)
        let q = try XCTUnwrap(attrs.first(TCA_TBF_PARMS)?.load(tc_tbf_qopt.self))
        XCTAssertEqual(q.rate.rate, 125_000)
        XCTAssertEqual(q.limit, 10_346)
        XCTAssertEqual(q.buffer, UInt32(4096.0 / 125_000 * 1e9 / 64))
        XCTAssertEqual(attrs.first(TCA_TBF_BURST)?.load(UInt32.self), 4096)
        let back = try XCTUnwrap(TbfSpec.decode(bytes))
        XCTAssertEqual(back.rateBytesPerSecond, 125_000)
        XCTAssertEqual(back.burstBytes, 4096)
        XCTAssertEqual(back.limitBytes, 10_346)

        t.peakRateBytesPerSecond = 250_000
        t.mtuBytes = 1514
        XCTAssertEqual(t.effectiveLimit, min(10_346, UInt32(250_000 * 0.05 + 1514)))
    }

    func testTbfValidation() {
        let ok = TbfSpec(rateBytesPerSecond: 1000, burstBytes: 1600, limitBytes: 3000)
        XCTAssertNoThrow(try ok.validate())
        var both = ok; both.latencyNs = 1
        XCTAssertThrowsError(try both.validate())
        var neither = ok; neither.limitBytes = nil
        XCTAssertThrowsError(try neither.validate())
        var noMtu = ok; noMtu.peakRateBytesPerSecond = 2000
        XCTAssertThrowsError(try noMtu.validate())
        var slowPeak = ok; slowPeak.peakRateBytesPerSecond = 500; slowPeak.mtuBytes = 1514
        XCTAssertThrowsError(try slowPeak.validate())
        var noBurst = ok; noBurst.burstBytes = 0
        XCTAssertThrowsError(try noBurst.validate())
    }

    func testSlotDistributionSendsItsOwnTable() throws {
        var s = NetemSpec()
        var slot = NetemSpec.Slot(minDelayNs: 0, maxDelayNs: 0, maxPackets: 3)
        slot.distribution = .table(name: "pareto")
        slot.distDelayNs = 5_000_000
        slot.distJitterNs = 1_000_000
        s.slot = slot
        XCTAssertNoThrow(try s.validate())
        let bytes = try options { try NetemOptions.encode(s, dist: nil, slotDist: [-1, 1], into: $0) }
        let attrs = NetlinkAttribute.parse(bytes.dropFirst(24))
        XCTAssertEqual(attrs.first(TCA_NETEM_SLOT_DIST)?.payload, [0xFF, 0xFF, 1, 0])
        XCTAssertNil(attrs.first(TCA_NETEM_DELAY_DIST))
        let sent = try XCTUnwrap(attrs.first(TCA_NETEM_SLOT)?.load(tc_netem_slot.self))
        XCTAssertEqual([sent.dist_delay, sent.dist_jitter], [5_000_000, 1_000_000])
        XCTAssertEqual(sent.max_packets, 3)
    }

    func testHtbDumpIsPatchedIntoACreateRequest() throws {
        // What the kernel dumps for `htb default 12 r2q 7`: full HTB_VER and a packet counter.
        var glob = tc_htb_glob(version: 0x30011, rate2quantum: 7, defcls: 0x12, debug: 0, direct_pkts: 5)
        let dumped = QdiscRestore.encode(type: TCA_HTB_INIT, payload: withUnsafeBytes(of: &glob) { Array($0) })
            + QdiscRestore.encode(type: TCA_HTB_DIRECT_QLEN, payload: [0xE8, 0x03, 0, 0])
        let sent = NetlinkAttribute.parse(QdiscRestore.createOptions(kind: "htb", dumped: dumped))
        let patched = try XCTUnwrap(sent.first(TCA_HTB_INIT)?.load(tc_htb_glob.self))
        XCTAssertEqual(patched.version, 3)
        XCTAssertEqual(patched.direct_pkts, 0)
        XCTAssertEqual([patched.rate2quantum, patched.defcls], [7, 0x12])
        XCTAssertEqual(sent.first(TCA_HTB_DIRECT_QLEN)?.load(UInt32.self), 1000)
        XCTAssertEqual(QdiscRestore.createOptions(kind: "pfifo", dumped: [1, 2, 3, 4]), [1, 2, 3, 4])
    }

    func testNetTargetParsing() throws {
        XCTAssertEqual(try NetTarget.from(netns: nil, pid: nil), .current)
        XCTAssertEqual(try NetTarget.from(netns: "red", pid: nil), .named("red"))
        XCTAssertEqual(try NetTarget.from(netns: nil, pid: 42), .process(42))
        XCTAssertEqual(NetTarget.container(mainPid: 42).path, "/proc/42/ns/net")
        XCTAssertThrowsError(try NetTarget.from(netns: "a", pid: 1))
        XCTAssertThrowsError(try NetTarget.from(netns: "../etc", pid: nil))
        XCTAssertThrowsError(try NetTarget.from(netns: nil, pid: 0))
        for t in [NetTarget.current, .named("red"), .process(42)] { XCTAssertEqual(NetTarget(encoded: t.encoded), t) }
    }
}
