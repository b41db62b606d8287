import Foundation

/// Healthy when an HTTP request answers with an expected status, within the maximum latency,
/// and (optionally) with a body matching a regular expression. The request goes through an
/// ``HTTPProbeTransport``.
public struct HTTPProbe: Probe {
    public var name: String
    public var request: ProbeHTTPRequest
    public var expectedStatus: StatusExpectation
    /// When set, the body (decoded as UTF-8) must contain a match.
    public var bodyPattern: String?
    /// When set, a slower answer is a failure even with a good status.
    public var maxLatency: Double?
    /// Seconds the transport may take before giving up.
    public var timeout: Double
    public let transport: HTTPProbeTransport
    private let bodyRegex: NSRegularExpression?

    /// Throws when the URL has no http(s) scheme or host, or `bodyPattern` is not a valid
    /// regular expression.
    public init(name: String? = nil, request: ProbeHTTPRequest, transport: HTTPProbeTransport,
                expectedStatus: StatusExpectation = .success, bodyPattern: String? = nil,
                maxLatency: Double? = nil, timeout: Double = 2) throws {
        try ProbeURL.check(request.url)
        self.name = name ?? "http \(request.method) \(request.url)"
        self.request = request
        self.transport = transport
        self.expectedStatus = expectedStatus
        self.bodyPattern = bodyPattern
        self.maxLatency = maxLatency
        self.timeout = timeout
        self.bodyRegex = try bodyPattern.map { try ProbeRegex.compile($0, field: "body pattern") }
    }

    public func check() -> ProbeCheck {
        let response: ProbeHTTPResponse
        do {
            response = try transport.perform(request, timeout: timeout)
        } catch {
            return .failure("\(request.method) \(request.url): \(error)")
        }
        let latency = UInt64(max(0, response.elapsed) * 1e9)
        func failed(_ reason: String) -> ProbeCheck { ProbeCheck(ok: false, reason: reason, latencyNanoseconds: latency) }

        guard expectedStatus.accepts(response.status) else {
            return failed("status \(response.status) not in \(expectedStatus)")
        }
        if let limit = maxLatency, response.elapsed > limit {
            return failed("latency \(DurationText.seconds(response.elapsed)) over \(DurationText.seconds(limit))")
        }
        if let regex = bodyRegex {
            let body = String(decoding: response.body, as: UTF8.self)
            guard ProbeRegex.matches(regex, body) else {
                return failed("body does not match /\(bodyPattern ?? "")/: \(body.prefix(200))")
            }
        }
        return ProbeCheck(ok: true, reason: nil, latencyNanoseconds: latency)
    }
}
