/// One parsed HTTP/1.x request.
public struct HTTPServerRequest: Sendable, Equatable {
    public var method: String
    /// The request target as sent ("/proxies/has%20space?x=1").
    public var target: String
    /// "HTTP/1.1" or "HTTP/1.0".
    public var version: String
    /// Header fields in arrival order, names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, target: String, version: String = "HTTP/1.1",
                headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: HTTPServerRequest, rhs: HTTPServerRequest) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.version == rhs.version
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value) && lhs.body == rhs.body
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// The path without the query string, percent-decoded as Go's URL.Path is.
    public var path: String { Self.percentDecode(rawPath) }

    /// The path's segments after the leading "/", split first and then each
    /// percent-decoded, so an encoded "/" ("a%2Fb") stays inside its segment, as routers
    /// matching on the escaped path (gorilla/mux with UseEncodedPath) see it.
    /// "/proxies/a%2Fb" gives ["proxies", "a/b"]; "/" gives [""].
    public var pathSegments: [String] {
        rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            .map { Self.percentDecode(String($0)) }
    }

    /// The path as sent, without the query string or an absolute form's scheme and host.
    public var rawPath: String {
        var origin = Substring(target)
        // Absolute form ("http://host:8474/proxies"), which proxies and some clients send.
        if origin.hasPrefix("http://") {
            origin = origin.dropFirst(7)
            origin = origin.firstIndex(of: "/").map { origin[$0...] } ?? "/"
        }
        return String(origin.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// Whether the connection stays open after the response (HTTP/1.1 unless
    /// "Connection: close"; HTTP/1.0 only with "Connection: keep-alive").
    public var keepAlive: Bool {
        let connection = header("Connection")?.lowercased() ?? ""
        let tokens = connection.split(separator: ",").map { $0.trimmedOWS }
        if version == "HTTP/1.0" { return tokens.contains("keep-alive") }
        return !tokens.contains("close")
    }

    /// "%XX" (two hex digits, nothing else) becomes its byte; anything else stays as is.
    /// Bytes that are not UTF-8 become U+FFFD.
    static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        let utf8 = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value of one ASCII hex digit, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }
}
