import ChaosCore
import ChaosHTTP
import Foundation

/// Talks to one API server: adds credentials to every request (re-reading token files,
/// running exec plugins when their credential expires), and turns failures into
/// `ChaosFailure`s with distinct exit codes.
public final class KubeClient: Sendable {
    public let target: KubeTarget
    private let exec: KubeExecCredentialRunner
    private let timeout: Double
    private let connectTimeout: Double

    /// `timeout` bounds each non-streamed request; `connectTimeout` the TCP+TLS setup.
    public init(target: KubeTarget, timeout: Double = 30, connectTimeout: Double = 5,
                execRunner: KubeExecCredentialRunner = KubeExecCredentialRunner()) {
        self.target = target
        self.exec = execRunner
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }

    /// Percent-encode a query value (everything but RFC 3986 unreserved characters).
    public static func encode(_ value: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// "path?k=v&…" with empty values left out.
    public static func path(_ base: String, query: [(String, String?)]) -> String {
        let parts = query.compactMap { key, value in value.map { "\(key)=\(encode($0))" } }
        return parts.isEmpty ? base : base + "?" + parts.joined(separator: "&")
    }

    /// An HTTP client carrying the current credentials.
    private func client() throws -> (HTTPClient, [(String, String)]) {
        var tls = target.tls
        var headers: [(String, String)] = [("Accept", "application/json")]
        switch target.auth {
        case .none: break
        case .token(let token): headers.append(("Authorization", "Bearer \(token)"))
        case .tokenFile(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ChaosError("token file \(path) (from \(target.origin)) cannot be read", exitCode: .permission)
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            headers.append(("Authorization", "Bearer \(token)"))
        case .exec(let config):
            let credential = try exec.credential(for: config)
            if let token = credential.token { headers.append(("Authorization", "Bearer \(token)")) }
            if let cert = credential.clientCertificateData, let key = credential.clientKeyData {
                tls.clientCertificate = .pem(Data(cert.utf8))
                tls.clientKey = .pem(Data(key.utf8))
            }
        }
        let configuration = HTTPClientConfiguration(baseURL: target.server, tls: tls,
                                                    connectTimeout: connectTimeout, timeout: timeout,
                                                    userAgent: "chaosctl")
        return (HTTPClient(configuration), headers)
    }

    /// Wrap transport failures so the message names the server and where it came from.
    private func transport<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as HTTPError where error.kind != .cancelled {
            throw ChaosError("Kubernetes API server \(target.server) (\(target.origin)) is unreachable: \(error)",
                             exitCode: error.exitCode)
        }
    }

    /// Send one request with `body` encoded as JSON, and return the raw response, whatever its
    /// status. A 401 with an exec plugin re-runs the plugin once (its cached credential may
    /// have been revoked).
    /// `contentType` is the body's media type (a PATCH names its patch type there).
    public func send(method: String, _ path: String, body: some Encodable,
                     contentType: String = "application/json") throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try send(method: method, path, data: try encoder.encode(body), contentType: contentType)
    }

    /// `send` with an untyped JSON body (or none): for requests chaosctl has no type for,
    /// such as the deliberately malformed ones the API-server double is tested with.
    public func send(method: String, _ path: String, json body: Any? = nil) throws -> HTTPResponse {
        try send(method: method, path, data: try body.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) })
    }

    private func send(method: String, _ path: String, data: Data?, contentType: String = "application/json") throws -> HTTPResponse {
        var response = try sendOnce(method: method, path, data: data, contentType: contentType)
        if response.status == 401, case .exec(let config) = target.auth {
            exec.invalidate(config)
            response = try sendOnce(method: method, path, data: data, contentType: contentType)
        }
        return response
    }

    private func sendOnce(method: String, _ path: String, data: Data?, contentType: String) throws -> HTTPResponse {
        let (http, headers) = try client()
        var request = HTTPRequest(method: method, path, headers: headers)
        if let data {
            request.body = data
            request.headers.append(("Content-Type", contentType))
        }
        return try transport { try http.send(request) }
    }

    /// GET `path` and decode the answer as `T`; a non-2xx answer throws `KubeAPIError`.
    func get<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        try decoded(T.self, try send(method: "GET", path), method: "GET", path: path)
    }

    /// Decode a 2xx answer as `T`; a non-2xx answer throws `KubeAPIError`.
    func decoded<T: Decodable>(_ type: T.Type, _ response: HTTPResponse, method: String, path: String) throws -> T {
        guard response.isSuccess else { throw error(response, method: method, path: path) }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw ChaosError("\(method) \(path): the answer is not the expected \(T.self): \(error)", exitCode: .failure)
        }
    }

    /// The `KubeAPIError` for a failed response.
    public func error(_ response: HTTPResponse, method: String, path: String) -> KubeAPIError {
        KubeAPIError(response: response, request: "\(method) \(path)", origin: target.origin)
    }

    /// Stream a watch: one JSON event per line, decoded as `Event` (lines that are not are
    /// skipped), until `onEvent` returns false, the server ends the stream, `token` is
    /// cancelled or `timeout` passes. Non-2xx answers throw.
    func watch<Event: Decodable>(_ path: String, as: Event.Type, timeout: Double, token: CancellationToken? = nil,
                                 onEvent: @escaping (Event) -> Bool) throws {
        let (http, headers) = try client()
        let request = HTTPRequest(path, headers: headers)
        let response: HTTPResponse
        do {
            response = try transport {
                try http.streamLines(request, timeout: timeout, token: token) { line in
                    guard let event = try? JSONDecoder().decode(Event.self, from: line) else { return true }
                    return onEvent(event)
                }
            }
        } catch let e as HTTPError where e.kind == .cancelled {
            return // we asked to stop (onEvent returned false or the token fired)
        }
        guard response.isSuccess else { throw error(response, method: "GET", path: path) }
    }
}
