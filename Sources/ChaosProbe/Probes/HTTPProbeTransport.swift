import Foundation

/// The seam between HTTP probe logic and an HTTP client. ChaosProbe does not link an HTTP
/// client: the caller binds this to ChaosHTTP's libcurl client (tests bind it to a socket
/// client of their own), so probe logic is tested without libcurl and vice versa.
public protocol HTTPProbeTransport: Sendable {
    /// Perform one request, giving up after `timeout` seconds. Throws on transport failure
    /// (refused, reset, timed out, TLS); any HTTP status, including 5xx, is a response.
    func perform(_ request: ProbeHTTPRequest, timeout: Double) throws -> ProbeHTTPResponse
}

/// A request as a probe describes it.
public struct ProbeHTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    /// In order; names may repeat.
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func == (a: ProbeHTTPRequest, b: ProbeHTTPRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }
}

/// What came back.
public struct ProbeHTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Seconds from sending the request to the last byte, as the transport measured it.
    public var elapsed: Double

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(), elapsed: Double) {
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed
    }

    /// First header with this name, compared case-insensitively as HTTP requires.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
