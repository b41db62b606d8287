import CNetlink

/// One qdisc as the kernel dumps it. `options` is TCA_OPTIONS verbatim, which is what a
/// revert sends back to recreate a qdisc chaosctl replaced.
public struct QdiscInfo: Equatable, Sendable {
    public var ifindex: Int32
    public var handle: UInt32
    public var parent: UInt32
    public var kind: String
    public var options: [UInt8]

    public var isRoot: Bool { parent == QdiscHandle.root }
    public var isChaosctl: Bool { QdiscHandle.isChaosctl(handle) }
    /// Kernel-attached defaults (noqueue, pfifo_fast, mq, fq_codel by sysctl) have handle 0:.
    public var isDefault: Bool { QdiscHandle.major(handle) == 0 }

    public var netem: NetemSpec? { kind == "netem" ? NetemOptions.decode(options) : nil }
    public var tbf: TbfSpec? { kind == "tbf" ? TbfSpec.decode(options) : nil }

    /// "netem ca05: root delay 100ms …", close to `tc qdisc show`.
    public var summary: String {
        var s = "\(kind) \(QdiscHandle.format(handle)) " + (isRoot ? "root" : "parent \(QdiscHandle.format(parent))")
        if let n = netem { s += " " + n.summary } else if let t = tbf { s += " " + t.summary }
        if isChaosctl { s += "  [chaosctl]" }
        return s
    }

    /// Parse one RTM_NEWQDISC message of a dump (nlmsghdr + tcmsg + attributes).
    static func parse(message bytes: [UInt8]) -> QdiscInfo? {
        let headerLength = 16
        let tcmLength = MemoryLayout<tcmsg>.size
        guard bytes.count >= headerLength + tcmLength,
              let tcm = NetlinkAttribute.load(tcmsg.self, from: bytes[headerLength...]) else { return nil }
        let attrs = NetlinkAttribute.parse(bytes[(headerLength + ((tcmLength + 3) & ~3))...])
        guard let kindAttr = attrs.first(TCA_KIND) else { return nil }
        let kind = String(decoding: kindAttr.payload.prefix(while: { $0 != 0 }), as: UTF8.self)
        return QdiscInfo(ifindex: tcm.tcm_ifindex, handle: tcm.tcm_handle, parent: tcm.tcm_parent, kind: kind,
                         options: attrs.first(TCA_OPTIONS)?.payload ?? [])
    }
}

/// tc handles ("major:minor", 16 bits each, hex) and chaosctl's own.
public enum QdiscHandle {
    /// TC_H_ROOT.
    public static let root: UInt32 = 0xFFFF_FFFF
    /// chaosctl's qdisc major, 0xCA05 ("CA"OS): `tc qdisc show` prints it as "ca05:".
    /// A root qdisc with this major is one chaosctl installed; any other is foreign.
    public static let chaosctlMajor: UInt32 = 0xCA05
    public static let chaosctl: UInt32 = chaosctlMajor << 16

    public static func major(_ h: UInt32) -> UInt32 { h >> 16 }
    public static func isChaosctl(_ h: UInt32) -> Bool { major(h) == chaosctlMajor }
    public static func format(_ h: UInt32) -> String {
        if h == root { return "root" }
        let minor = h & 0xFFFF
        return String(major(h), radix: 16) + ":" + (minor == 0 ? "" : String(minor, radix: 16))
    }
    /// Inverse of format (the journal stores handles so).
    public static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = UInt32(parts[0], radix: 16), major <= 0xFFFF else { return nil }
        let minor = parts[1].isEmpty ? 0 : UInt32(parts[1], radix: 16)
        guard let minor, minor <= 0xFFFF else { return nil }
        return major << 16 | minor
    }
}
