import Foundation

/// Everything that is the same for every request to one endpoint.
public struct HTTPClientConfiguration: Sendable {
    /// Prefix for relative request targets: "https://10.0.0.1:6443" or, over a unix socket,
    /// "http://localhost".
    public var baseURL: String
    public var transport: HTTPTransport
    public var tls: TLSOptions
    /// Sent as `Authorization: Bearer <token>` unless a request sets Authorization itself.
    public var bearerToken: String?
    /// Added to every request (a request's own header of the same name wins).
    public var headers: [(String, String)]
    /// Seconds to establish the connection (TCP + TLS).
    public var connectTimeout: Double
    /// Seconds for a whole non-streamed request; 0 = no limit.
    public var timeout: Double
    public var userAgent: String

    public init(baseURL: String, transport: HTTPTransport = .tcp, tls: TLSOptions = TLSOptions(),
                bearerToken: String? = nil, headers: [(String, String)] = [],
                connectTimeout: Double = 5, timeout: Double = 30, userAgent: String = "chaosctl") {
        self.baseURL = baseURL
        self.transport = transport
        self.tls = tls
        self.bearerToken = bearerToken
        self.headers = headers
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.userAgent = userAgent
    }
}
