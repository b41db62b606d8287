import ChaosCore
import Glibc

/// An IPv4 or IPv6 socket address parsed from "host:port" ("[::1]:port" for IPv6). Hosts are
/// numeric or `localhost` (→ 127.0.0.1): the data plane resolves once, at start or update,
/// and never calls a resolver from an event loop.
///
/// Stored in a `sockaddr_in6` (28 bytes, which also holds a `sockaddr_in`) rather than a
/// 128-byte `sockaddr_storage`: every live connection keeps its client's address.
struct SocketAddress: CustomStringConvertible, Sendable {
    private(set) var storage = sockaddr_in6()
    private(set) var length: socklen_t = 0

    var family: Int32 { Int32(storage.sin6_family) }

    /// Parse `text`; `field` names the setting in the error ("listen", "upstream").
    init(parsing text: String, field: String) throws {
        func invalid(_ why: String) -> ChaosError {
            ChaosError("\(field) '\(text)': \(why) (expected host:port with a numeric IPv4/IPv6 host or localhost)",
                       exitCode: .usage)
        }
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw invalid("bad IPv6 form")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw invalid("no port") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let port = UInt16(portText) else { throw invalid("bad port") }
        if host.isEmpty || host == "localhost" { host = "127.0.0.1" }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, String(host), &v4) == 1 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr = v4
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: sin) { raw.copyMemory(from: $0) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else if inet_pton(AF_INET6, String(host), &v6) == 1 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_addr = v6
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: sin6) { raw.copyMemory(from: $0) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            throw invalid("host is not a numeric address")
        }
    }

    /// Copy what a socket call wrote into `raw` (`length` bytes; only IPv4/IPv6 fit).
    init?(raw: UnsafeRawPointer, length: socklen_t) {
        guard length > 0, Int(length) <= MemoryLayout<sockaddr_in6>.size else { return nil }
        withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: raw, count: Int(length))) }
        self.length = length
    }

    /// The local address a socket is bound to (getsockname).
    static func local(of fd: Int32) -> SocketAddress? { query(fd, getsockname) }
    /// The address of a socket's peer (getpeername).
    static func peer(of fd: Int32) -> SocketAddress? { query(fd, getpeername) }

    private static func query(_ fd: Int32,
                              _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        return withUnsafeBytes(of: &storage) { SocketAddress(raw: $0.baseAddress!, length: length) }
    }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            // sin_port and sin6_port sit at the same offset (2), in network order.
            UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
        }
    }

    var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return withUnsafeBytes(of: storage) { raw -> String in
            if family == AF_INET6 {
                var addr = raw.load(fromByteOffset: 8, as: in6_addr.self)
                inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
                return "[\(String(cString: buffer))]:\(port)"
            }
            var addr = raw.load(fromByteOffset: 4, as: in_addr.self)
            inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
            return "\(String(cString: buffer)):\(port)"
        }
    }
}
