/// Reads netlink attributes (type-length-value, 4-byte aligned) out of bytes the kernel
/// sent: qdisc dumps and error TLVs. Writing goes through libnl (`NetlinkMessage`).
public struct NetlinkAttribute: Equatable, Sendable {
    public var type: Int
    public var payload: [UInt8]

    /// Attribute headers are {u16 len, u16 type}; the top two type bits are flags.
    private static let typeMask = 0x3FFF

    public static func parse(_ bytes: ArraySlice<UInt8>) -> [NetlinkAttribute] {
        var out: [NetlinkAttribute] = []
        var i = bytes.startIndex
        while i + 4 <= bytes.endIndex {
            let len = Int(bytes[i]) | Int(bytes[i + 1]) << 8
            let type = (Int(bytes[i + 2]) | Int(bytes[i + 3]) << 8) & typeMask
            guard len >= 4, i + len <= bytes.endIndex else { break }
            out.append(NetlinkAttribute(type: type, payload: Array(bytes[(i + 4)..<(i + len)])))
            i += (len + 3) & ~3
        }
        return out
    }

    public static func parse(_ bytes: [UInt8]) -> [NetlinkAttribute] { parse(bytes[...]) }

    /// The payload as a C struct, or nil if it is shorter than the struct.
    public func load<T>(_: T.Type) -> T? { Self.load(T.self, from: payload[...]) }

    static func load<T>(_: T.Type, from bytes: ArraySlice<UInt8>) -> T? {
        guard bytes.count >= MemoryLayout<T>.size else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
}

extension Array where Element == NetlinkAttribute {
    func first(_ type: Int) -> NetlinkAttribute? { first(where: { $0.type == type }) }
}
