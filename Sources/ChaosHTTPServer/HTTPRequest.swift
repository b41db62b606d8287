/// One parsed HTTP/1.x request.
public struct HTTPRequest: Sendable, Equatable {
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

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
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
    public var path: String {
        var origin = Substring(target)
        // Absolute form ("http://host:8474/proxies"), which proxies and some clients send.
        if origin.hasPrefix("http://") {
            origin = origin.dropFirst(7)
            origin = origin.firstIndex(of: "/").map { origin[$0...] } ?? "/"
        }
        let rawPath = origin.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return Self.percentDecode(String(rawPath))
    }

    /// Whether the connection stays open after the response (HTTP/1.1 unless
    /// "Connection: close"; HTTP/1.0 only with "Connection: keep-alive").
    public var keepAlive: Bool {
        let connection = header("Connection")?.lowercased() ?? ""
        let tokens = connection.split(separator: ",").map { $0.trimmedOWS }
        if version == "HTTP/1.0" { return tokens.contains("keep-alive") }
        return !tokens.contains("close")
    }

    static func percentDecode(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
