import Foundation

/// Healthy when an instant PromQL query (`GET /api/v1/query?query=...`) satisfies a numeric
/// condition: "error rate below 1%" is `query: sum(rate(errors[1m]))/sum(rate(requests[1m]))`,
/// `condition: < 1%`; "replicas went up" is `kube_deployment_status_replicas_available{...}`
/// with `> N` where N was read before the fault (see ``currentValues()``).
public struct PrometheusProbe: Probe {
    /// How a vector with several series is judged.
    public enum Quantifier: String, Sendable {
        /// Every series must satisfy the condition (default: "no pod above 1%").
        case all
        /// At least one series must.
        case any
    }

    public var name: String
    /// Server root, e.g. "http://127.0.0.1:9090".
    public var baseURL: String
    public var query: String
    public var condition: NumericCondition
    public var quantifier: Quantifier
    /// An empty vector (no series matched) is unhealthy unless this is set: an absent metric
    /// usually means the target is down, not that it is fine.
    public var emptyIsHealthy: Bool
    public var timeout: Double
    public let transport: HTTPProbeTransport

    public init(name: String? = nil, baseURL: String, query: String, condition: NumericCondition,
                transport: HTTPProbeTransport, quantifier: Quantifier = .all, emptyIsHealthy: Bool = false,
                timeout: Double = 2) {
        self.name = name ?? "prometheus \(query) \(condition)"
        self.baseURL = baseURL
        self.query = query
        self.condition = condition
        self.transport = transport
        self.quantifier = quantifier
        self.emptyIsHealthy = emptyIsHealthy
        self.timeout = timeout
    }

    /// The request sent: the query percent-encoded so `+`, `&`, `{` and quotes survive.
    public var request: ProbeHTTPRequest {
        // RFC 3986 unreserved characters only (CharacterSet.alphanumerics would let non-ASCII through).
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = query.addingPercentEncoding(withAllowedCharacters: allowed) ?? query
        let root = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return ProbeHTTPRequest(method: "GET", url: "\(root)/api/v1/query?query=\(encoded)",
                                headers: [(name: "Accept", value: "application/json")])
    }

    /// Run the query once and return its result, e.g. to read a baseline before a fault.
    public func currentResult() throws -> PrometheusResult {
        let response = try transport.perform(request, timeout: timeout)
        do {
            return try PrometheusResult.parse(response.body)
        } catch let error as PrometheusResult.ParseError where error.fromServer || (200...299).contains(response.status) {
            // Prometheus answers 400/422/503 with a JSON error body worth showing as is.
            throw error
        } catch {
            throw PrometheusResult.ParseError(description: "HTTP \(response.status)")
        }
    }

    /// The numeric values of ``currentResult()``.
    public func currentValues() throws -> [Double] { try currentResult().values }

    public func check() -> ProbeCheck {
        let result: PrometheusResult
        do {
            result = try currentResult()
        } catch {
            return .failure("prometheus: \(error)")
        }
        return judge(result)
    }

    /// Apply the condition to a parsed result (separate from I/O so it is testable on its own).
    public func judge(_ result: PrometheusResult) -> ProbeCheck {
        let values = result.values
        if values.isEmpty {
            return emptyIsHealthy ? .healthy : .failure("query returned no series")
        }
        let failing = values.filter { !condition.holds(for: $0) }
        switch quantifier {
        case .all where failing.isEmpty, .any where failing.count < values.count:
            return .healthy
        default:
            let shown = failing.prefix(3).map { String($0) }.joined(separator: ", ")
            return .failure("value \(shown) not \(condition)" + (values.count > 1 ? " (\(failing.count) of \(values.count) series)" : ""))
        }
    }
}
