import ChaosCore
import ChaosHTTP
import ChaosJSON
import Foundation

/// A proxy as a Toxiproxy server (chaosctl's or the real one) reports it.
public struct RemoteProxy: Sendable, Equatable {
    public var name: String
    public var listen: String
    public var upstream: String
    public var enabled: Bool
    public var toxics: [RemoteToxic]
}

/// A toxic as a Toxiproxy server reports it. Attributes keep the server's order and
/// JSON values, so unknown toxic types from newer servers still print.
public struct RemoteToxic: Sendable, Equatable {
    public var name: String
    public var type: String
    public var stream: String
    public var toxicity: Double
    public var attributes: [String: JSONValue]
    /// chaosctl extension, present only when the toxic has a ttl.
    public var ttlRemainingMs: Int64?
}

/// A failure reported by the server, or a transport failure (`status == nil`).
public struct ToxiproxyClientError: ChaosFailure {
    public var status: Int?
    public var message: String
    public var exitCode: ExitCode {
        switch status {
        case nil: return .unreachable
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 409: return .conflict
        case 400: return .usage
        default: return .failure
        }
    }
    /// "HTTP 404: proxy not found", as toxiproxy-cli words it.
    public var description: String { status.map { "HTTP \($0): \(message)" } ?? message }
}

/// A client for Toxiproxy's HTTP API over ChaosHTTP's libcurl client, for `chaosctl proxy`
/// and `chaosctl toxic`. Works against chaosctl's server and a real Toxiproxy alike.
public struct ToxiproxyClient: Sendable {
    private let http: HTTPClient
    public var token: String?

    /// - Parameter baseURL: "http://127.0.0.1:8474", "127.0.0.1:8474" or "http://[::1]:8474".
    public init(baseURL: String = "http://127.0.0.1:8474", token: String? = nil, timeoutSeconds: Int = 10) throws {
        var rest = Substring(baseURL)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        guard !rest.hasPrefix("https://") else {
            throw ToxiproxyClientError(status: nil, message: "https is not supported: \(baseURL)")
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var host = String(rest), port: UInt16 = 8474
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { guard let parsed = UInt16(after.dropFirst()) else { throw Self.badURL(baseURL) }; port = parsed }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            guard let parsed = UInt16(rest[rest.index(after: colon)...]) else { throw Self.badURL(baseURL) }
            port = parsed
        }
        guard !host.isEmpty else { throw Self.badURL(baseURL) }
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var configuration = HTTPClientConfiguration(baseURL: "http://" + authority)
        configuration.timeout = Double(timeoutSeconds)
        configuration.connectTimeout = Double(timeoutSeconds)
        configuration.userAgent = "chaosctl"
        http = HTTPClient(configuration)
        self.token = token
    }

    private static func badURL(_ url: String) -> ToxiproxyClientError {
        ToxiproxyClientError(status: nil, message: "invalid server address '\(url)' (expected http://HOST:PORT)")
    }

    // MARK: Proxies

    /// The server's `/version` ("2.12.0" for chaosctl's server).
    public func version() throws -> String {
        guard case .string(let version)? = try request("GET", "/version")["version"] else {
            throw ToxiproxyClientError(status: nil, message: "unexpected /version reply")
        }
        return version
    }

    /// All proxies, sorted by name.
    public func proxies() throws -> [RemoteProxy] {
        guard case .object(let members) = try request("GET", "/proxies") else {
            throw ToxiproxyClientError(status: nil, message: "unexpected /proxies reply")
        }
        return try members.map { try Self.proxy(from: $0.1) }.sorted { $0.name < $1.name }
    }

    /// One proxy with its toxics.
    public func proxy(_ name: String) throws -> RemoteProxy {
        try Self.proxy(from: request("GET", "/proxies/" + Self.escape(name)))
    }

    /// `POST /proxies`; the server answers 409 if the name is taken.
    public func createProxy(name: String, listen: String, upstream: String, enabled: Bool = true) throws -> RemoteProxy {
        let body = JSONWriter.object([("name", JSONWriter.string(name)), ("listen", JSONWriter.string(listen)),
                                      ("upstream", JSONWriter.string(upstream)), ("enabled", enabled ? "true" : "false")])
        return try Self.proxy(from: request("POST", "/proxies", body: body))
    }

    /// Enables or disables a proxy (disabling closes its listener and connections).
    public func setEnabled(_ name: String, _ enabled: Bool) throws -> RemoteProxy {
        try Self.proxy(from: request("POST", "/proxies/" + Self.escape(name),
                                     body: "{\"enabled\":\(enabled ? "true" : "false")}"))
    }

    /// Flips `enabled` and returns the proxy as it now is.
    public func toggle(_ name: String) throws -> RemoteProxy {
        try setEnabled(name, !proxy(name).enabled)
    }

    /// Deletes a proxy.
    public func deleteProxy(_ name: String) throws {
        _ = try request("DELETE", "/proxies/" + Self.escape(name))
    }

    /// `POST /reset`: every proxy enabled, every toxic removed.
    public func reset() throws {
        _ = try request("POST", "/reset")
    }

    // MARK: Toxics

    /// Adds a toxic; `name` nil lets the server name it `<type>_<stream>`. `ttl` (chaosctl's
    /// extension: milliseconds or a duration such as "30s") makes the server remove it later.
    public func addToxic(proxy: String, name: String?, type: String, stream: String = "downstream",
                         toxicity: Double = 1, attributes: [String: Int64] = [:], ttl: String? = nil) throws -> RemoteToxic {
        var members: [(String, String)] = []
        if let name, !name.isEmpty { members.append(("name", JSONWriter.string(name))) }
        members += [("type", JSONWriter.string(type)), ("stream", JSONWriter.string(stream)),
                    ("toxicity", Self.number(toxicity)), ("attributes", Self.attributesJSON(attributes))]
        // A bare number is milliseconds for the server; anything else goes as a duration string.
        if let ttl { members.append(("ttl", Int64(ttl) != nil ? ttl : JSONWriter.string(ttl))) }
        return try Self.toxic(from: request("POST", "/proxies/\(Self.escape(proxy))/toxics",
                                            body: JSONWriter.object(members)))
    }

    /// Like toxiproxy-cli: the toxicity is always sent (default 1), attributes merge.
    public func updateToxic(proxy: String, name: String, toxicity: Double = 1,
                            attributes: [String: Int64] = [:]) throws -> RemoteToxic {
        let body = JSONWriter.object([("toxicity", Self.number(toxicity)), ("attributes", Self.attributesJSON(attributes))])
        return try Self.toxic(from: request("POST", "/proxies/\(Self.escape(proxy))/toxics/\(Self.escape(name))", body: body))
    }

    /// Removes a toxic.
    public func removeToxic(proxy: String, name: String) throws {
        _ = try request("DELETE", "/proxies/\(Self.escape(proxy))/toxics/\(Self.escape(name))")
    }

    // MARK: Plumbing

    private func request(_ method: String, _ path: String, body: String? = nil) throws -> JSONValue {
        var headers: [(String, String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let response: HTTPResponse
        do {
            response = try http.send(HTTPRequest(method: method, path, headers: headers, body: body.map { Data($0.utf8) }))
        } catch {
            throw ToxiproxyClientError(status: nil, message: "\(error)")
        }
        guard (200..<300).contains(response.status) else {
            // Toxiproxy's error bodies are {"error":...}; fall back to the raw text.
            let parsed = try? JSONParser.parse(Array(response.body))
            if case .string(let message)? = parsed?["error"] {
                throw ToxiproxyClientError(status: response.status, message: message)
            }
            let text = response.text.trimmingCharacters(in: .whitespaces).split(separator: "\n").first.map(String.init) ?? ""
            throw ToxiproxyClientError(status: response.status, message: text.isEmpty ? "empty reply" : text)
        }
        if response.body.isEmpty { return .null }
        do { return try JSONParser.parse(Array(response.body)) } catch {
            throw ToxiproxyClientError(status: nil, message: "unreadable reply to \(method) \(path): \(error)")
        }
    }

    static func escape(_ segment: String) -> String {
        var out = ""
        for byte in segment.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-._~".contains(character) {
                out.append(character)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func attributesJSON(_ attributes: [String: Int64]) -> String {
        JSONWriter.object(attributes.sorted { $0.key < $1.key }.map { ($0.key, String($0.value)) })
    }

    static func proxy(from value: JSONValue) throws -> RemoteProxy {
        guard case .string(let name)? = value["name"] else {
            throw ToxiproxyClientError(status: nil, message: "unexpected proxy JSON")
        }
        var toxics: [RemoteToxic] = []
        if case .array(let items)? = value["toxics"] { toxics = try items.map(toxic(from:)) }
        func text(_ key: String) -> String { if case .string(let s)? = value[key] { return s }; return "" }
        var enabled = false
        if case .bool(let flag)? = value["enabled"] { enabled = flag }
        return RemoteProxy(name: name, listen: text("listen"), upstream: text("upstream"), enabled: enabled, toxics: toxics)
    }

    static func toxic(from value: JSONValue) throws -> RemoteToxic {
        guard case .string(let name)? = value["name"] else {
            throw ToxiproxyClientError(status: nil, message: "unexpected toxic JSON")
        }
        func text(_ key: String) -> String { if case .string(let s)? = value[key] { return s }; return "" }
        var toxicity = 1.0
        if case .number(let raw)? = value["toxicity"] { toxicity = Double(raw) ?? 1 }
        var attributes: [String: JSONValue] = [:]
        if case .object(let members)? = value["attributes"] { for (key, item) in members { attributes[key] = item } }
        var ttl: Int64?
        if case .number(let raw)? = value["ttl_remaining_ms"] { ttl = Int64(raw) }
        return RemoteToxic(name: name, type: text("type"), stream: text("stream"), toxicity: toxicity,
                           attributes: attributes, ttlRemainingMs: ttl)
    }
}
