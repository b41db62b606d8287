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
