import Glibc

/// Checks a listen address the way Go's net.Listen does before binding, so a bad one
/// fails with Toxiproxy's 500 text ("listen tcp: address x: missing port in address")
/// without reaching the data plane.
public enum ListenAddress {
    public static func validate(_ address: String) throws {
        func failure(_ reason: String) -> APIError {
            APIError(status: 500, message: "listen tcp: address \(address): \(reason)")
        }
        let host: Substring, port: Substring
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { throw failure("missing ']' in address") }
            host = address[address.index(after: address.startIndex)..<close]
            let rest = address[address.index(after: close)...]
            guard rest.hasPrefix(":") else { throw failure("missing port in address") }
            port = rest.dropFirst()
        } else {
            guard let colon = address.lastIndex(of: ":") else { throw failure("missing port in address") }
            host = address[..<colon]
            if host.contains(":") { throw failure("too many colons in address") }
            port = address[address.index(after: colon)...]
        }
        _ = host
        if port.isEmpty { return }  // Go treats "host:" as port 0
        guard port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else {
            throw APIError(status: 500, message: "listen tcp: lookup tcp/\(port): unknown port")
        }
        guard let number = Int(port), number <= 65535 else {
            throw APIError(status: 500, message: "listen tcp: address \(port): invalid port")
        }
    }
}

extension ListenAddress {
    /// "host:port" with the host resolved as Go's net.Listen resolves it before binding
    /// (net/dial.go, ListenConfig.Listen: the first IPv4 address, else the first one),
    /// so "localhost:7070" is "127.0.0.1:7070". Toxiproxy compares and prints listen
    /// addresses in that form (transcript #6: "localhost:26391" is shown as
    /// "127.0.0.1:26391"). An empty host, port 0 and an unresolvable host stay as given.
    public static func resolved(_ address: String) -> String {
        guard let colon = address.lastIndex(of: ":") else { return address }
        var host = String(address[..<colon])
        let port = String(address[address.index(after: colon)...])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return address }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return address }
        defer { freeaddrinfo(result) }
        var chosen = first
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if entry.pointee.ai_family == AF_INET { chosen = entry; break }
            cursor = entry.pointee.ai_next
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = chosen.pointee.ai_family
        guard let socketAddress = chosen.pointee.ai_addr else { return address }
        let ok: Bool
        if family == AF_INET6 {
            ok = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                var raw = pointer.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil
            }
        } else {
            ok = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                var raw = pointer.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil
            }
        }
        guard ok else { return address }
        let ip = String(cString: text)
        return family == AF_INET6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
