import CCurl
import Foundation

/// A blocking HTTP/1.1 client over libcurl: TCP or unix sockets, TLS with file or
/// in-memory PEM material, bearer tokens, and streamed responses.
///
/// Thread-safe: the client holds only immutable configuration and each request runs on its
/// own libcurl easy handle, so any number of threads may use one client at once.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration

    public init(_ configuration: HTTPClientConfiguration) {
        self.configuration = configuration
    }

    /// Convenience for a plain TCP endpoint.
    public convenience init(baseURL: String) {
        self.init(HTTPClientConfiguration(baseURL: baseURL))
    }

    /// The absolute URL a request target resolves to.
    public func url(for target: String) -> String {
        if target.hasPrefix("http://") || target.hasPrefix("https://") { return target }
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return target.hasPrefix("/") ? base + target : base + "/" + target
    }

    /// Send a request and collect the whole response.
    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let transfer = try prepare(request, timeout: request.timeout ?? configuration.timeout)
        return try transfer.perform(sink: nil, token: nil)
    }

    /// GET shorthand.
    public func get(_ target: String, headers: [(String, String)] = []) throws -> HTTPResponse {
        try send(HTTPRequest(target, headers: headers))
    }

    /// Send a request and pass each body chunk to `onChunk` as it arrives. Return false from
    /// `onChunk`, or cancel `token`, to end the stream (the call then throws `.cancelled`).
    /// The returned response carries status and headers; its body holds the server's
    /// message only for non-2xx answers (those are not streamed). `timeout` bounds the
    /// whole stream (default: none).
    public func stream(_ request: HTTPRequest, timeout: Double? = nil, token: CancellationToken? = nil,
                       onChunk: @escaping (Data) -> Bool) throws -> HTTPResponse {
        let transfer = try prepare(request, timeout: timeout ?? request.timeout ?? 0)
        return try transfer.perform(sink: onChunk, token: token)
    }

    /// Like `stream`, but calls `onLine` once per newline-terminated line (watch and events
    /// streams send one JSON document per line). A final unterminated line is delivered too.
    public func streamLines(_ request: HTTPRequest, timeout: Double? = nil, token: CancellationToken? = nil,
                            onLine: @escaping (Data) -> Bool) throws -> HTTPResponse {
        var splitter = LineSplitter()
        var stopped = false
        let response = try stream(request, timeout: timeout, token: token) { chunk in
            for line in splitter.feed(chunk) where !line.isEmpty {
                if !onLine(line) { stopped = true; return false }
            }
            return true
        }
        if !stopped, response.isSuccess, let rest = splitter.finish(), !rest.isEmpty { _ = onLine(rest) }
        return response
    }

    /// GET `target` and decode a JSON body; non-2xx statuses throw `HTTPStatusError`.
    public func getJSON<T: Decodable>(_ target: String, as type: T.Type = T.self) throws -> T {
        let response = try send(HTTPRequest(target, headers: [("Accept", "application/json")]))
        guard response.isSuccess else { throw HTTPStatusError(response: response) }
        return try response.decode(T.self)
    }

    /// Send `value` as JSON and decode a JSON answer; non-2xx statuses throw `HTTPStatusError`.
    public func sendJSON<In: Encodable, Out: Decodable>(method: String, _ target: String, _ value: In,
                                                         as type: Out.Type = Out.self) throws -> Out {
        let request = try HTTPRequest.json(method: method, target, value, headers: [("Accept", "application/json")])
        let response = try send(request)
        guard response.isSuccess else { throw HTTPStatusError(response: response) }
        return try response.decode(Out.self)
    }

    private func prepare(_ request: HTTPRequest, timeout: Double) throws -> CurlTransfer {
        let url = url(for: request.target)
        let c = configuration
        var label = url
        if case .unixSocket(let path) = c.transport { label += " via unix socket \(path)" }
        let t = try CurlTransfer(url: url, label: label)
        try t.set(CURLOPT_URL, url)
        // No signals: libcurl would otherwise use SIGALRM for DNS timeouts, which is not
        // safe with several threads.
        try t.set(CURLOPT_NOSIGNAL, 1)
        try t.set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        try t.set(CURLOPT_USERAGENT, c.userAgent)
        try t.set(CURLOPT_CONNECTTIMEOUT_MS, Int(c.connectTimeout * 1000))
        try t.set(CURLOPT_TIMEOUT_MS, timeout > 0 ? max(1, Int(timeout * 1000)) : 0)
        if case .unixSocket(let path) = c.transport {
            try t.set(CURLOPT_UNIX_SOCKET_PATH, path)
        }
        try applyTLS(c.tls, to: t)

        switch request.method {
        case "GET": break
        case "HEAD": try t.set(CURLOPT_NOBODY, 1)
        case "POST":
            try t.set(CURLOPT_POST, 1)
            try t.setBody(request.body ?? Data())
        default:
            try t.set(CURLOPT_CUSTOMREQUEST, request.method)
            if let body = request.body { try t.setBody(body) }
        }

        var lines: [String] = []
        var names = Set<String>()
        for (name, value) in request.headers {
            names.insert(name.lowercased())
            lines.append("\(name): \(value)")
        }
        for (name, value) in c.headers where !names.contains(name.lowercased()) {
            names.insert(name.lowercased())
            lines.append("\(name): \(value)")
        }
        if let token = c.bearerToken, !names.contains("authorization") {
            lines.append("Authorization: Bearer \(token)")
        }
        // "Expect: 100-continue" would add a round trip to every larger POST.
        lines.append("Expect:")
        try t.setHeaders(lines)
        return t
    }

    private func applyTLS(_ tls: TLSOptions, to t: CurlTransfer) throws {
        if tls.insecureSkipVerify {
            try t.set(CURLOPT_SSL_VERIFYPEER, 0)
            try t.set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        switch tls.certificateAuthority {
        case .file(let path)?: try t.set(CURLOPT_CAINFO, path)
        case .pem(let data)?: try t.setBlob(CURLOPT_CAINFO_BLOB, data)
        case nil: break
        }
        switch tls.clientCertificate {
        case .file(let path)?: try t.set(CURLOPT_SSLCERT, path)
        case .pem(let data)?: try t.setBlob(CURLOPT_SSLCERT_BLOB, data)
        case nil: break
        }
        if tls.clientCertificate != nil { try t.set(CURLOPT_SSLCERTTYPE, "PEM") }
        switch tls.clientKey {
        case .file(let path)?: try t.set(CURLOPT_SSLKEY, path)
        case .pem(let data)?: try t.setBlob(CURLOPT_SSLKEY_BLOB, data)
        case nil: break
        }
        if tls.clientKey != nil { try t.set(CURLOPT_SSLKEYTYPE, "PEM") }
    }
}
