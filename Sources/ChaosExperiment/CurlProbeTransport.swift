import ChaosHTTP
import ChaosProbe
import Foundation

/// Binds HTTP and Prometheus probes to ChaosHTTP's libcurl client. One client for every
/// probe: it is thread-safe and each request gets its own easy handle.
public struct CurlProbeTransport: HTTPProbeTransport {
    private let client: HTTPClient

    public init(insecureSkipTLSVerify: Bool = false) {
        var configuration = HTTPClientConfiguration(baseURL: "http://127.0.0.1")
        configuration.tls.insecureSkipVerify = insecureSkipTLSVerify
        client = HTTPClient(configuration)
    }

    public func perform(_ request: ProbeHTTPRequest, timeout: Double) throws -> ProbeHTTPResponse {
        var r = HTTPRequest(method: request.method, request.url, headers: request.headers.map { ($0.name, $0.value) },
                            body: request.body)
        r.timeout = timeout
        let response = try client.send(r)
        return ProbeHTTPResponse(status: response.status, headers: response.headers.map { (name: $0.0, value: $0.1) },
                                 body: response.body, elapsed: response.totalTime)
    }
}
