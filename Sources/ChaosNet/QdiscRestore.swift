import CNetlink

/// Turning a dumped qdisc back into a create request. For most kinds the dumped TCA_OPTIONS
/// are exactly what creation takes; the exceptions are patched here, each with its reason.
enum QdiscRestore {
    /// TCA_OPTIONS to send to recreate `kind` from its dumped options.
    static func createOptions(kind: String, dumped: [UInt8]) -> [UInt8] {
        switch kind {
        case "htb": return htb(dumped)
        default: return dumped
        }
    }

    /// htb dumps its full version (HTB_VER, 0x30011) in tc_htb_glob but on create accepts
    /// only the major (3); it also dumps a statistics counter (direct_pkts) we zero.
    private static func htb(_ dumped: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for attr in NetlinkAttribute.parse(dumped) {
            var payload = attr.payload
            if attr.type == TCA_HTB_INIT, var glob = attr.load(tc_htb_glob.self) {
                if glob.version > 0xFFFF { glob.version >>= 16 }
                glob.direct_pkts = 0
                payload = withUnsafeBytes(of: &glob) { Array($0) } + payload.dropFirst(MemoryLayout<tc_htb_glob>.size)
            }
            out += encode(type: attr.type, payload: payload)
        }
        return out
    }

    /// One attribute, header plus payload padded to 4 bytes.
    static func encode(type: Int, payload: [UInt8]) -> [UInt8] {
        let length = 4 + payload.count
        var bytes = [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(type & 0xFF), UInt8(type >> 8)] + payload
        bytes += [UInt8](repeating: 0, count: (4 - length % 4) % 4)
        return bytes
    }
}
