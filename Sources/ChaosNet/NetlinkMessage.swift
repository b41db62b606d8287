import CNetlink
import ChaosCore

/// A netlink request built with libnl's message API (nlmsg_alloc_simple, nlmsg_append,
/// nla_put, nla_nest_start). Owns the nl_msg.
final class NetlinkMessage {
    let raw: OpaquePointer

    /// Large enough for a full netem distribution table (16384 × s16) plus headers.
    private static let capacity = 65536

    init(type: Int32, flags: Int32) throws {
        // libnl sizes new messages from a process-wide default (one page); a distribution
        // table alone is 32 KiB.
        nlmsg_set_default_size(Self.capacity)
        guard let m = nlmsg_alloc_simple(type, flags) else {
            throw ChaosError("netlink: cannot allocate a message")
        }
        raw = m
    }

    deinit { nlmsg_free(raw) }

    private func check(_ rc: Int32, _ what: String) throws {
        if rc < 0 { throw ChaosError("netlink: cannot add \(what) to the message: \(String(cString: nl_geterror(rc)))") }
    }

    /// Raw bytes at the message tail, padded to 4: the family header (tcmsg), or a qdisc's
    /// leading options struct inside TCA_OPTIONS.
    func append<T>(_ value: T, what: String) throws {
        var v = value
        let rc = withUnsafeMutableBytes(of: &v) { nlmsg_append(raw, $0.baseAddress, $0.count, Int32(NLMSG_ALIGNTO)) }
        try check(rc, what)
    }

    func put<T>(_ type: Int, _ value: T) throws {
        var v = value
        let rc = withUnsafeMutableBytes(of: &v) { nla_put(raw, Int32(type), Int32($0.count), $0.baseAddress) }
        try check(rc, "attribute \(type)")
    }

    func put(_ type: Int, bytes: [UInt8]) throws {
        let rc = bytes.withUnsafeBytes { nla_put(raw, Int32(type), Int32($0.count), $0.baseAddress) }
        try check(rc, "attribute \(type)")
    }

    func put(_ type: Int, string: String) throws {
        try check(nla_put_string(raw, Int32(type), string), "attribute \(type)")
    }

    /// A nested attribute whose children `body` adds.
    func nest(_ type: Int, _ body: () throws -> Void) throws {
        guard let start = nla_nest_start(raw, Int32(type)) else { throw ChaosError("netlink: cannot open nested attribute \(type)") }
        try body()
        try check(nla_nest_end(raw, start), "nested attribute \(type)")
    }

    /// The whole message as sent (header included), for tests and debugging.
    var bytes: [UInt8] {
        let hdr = nlmsg_hdr(raw)!
        let length = Int(hdr.pointee.nlmsg_len)
        return Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(hdr), count: length))
    }
}
