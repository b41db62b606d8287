import Foundation

/// The `data` part of a Prometheus `/api/v1/query` answer, reduced to what a probe judges:
/// an instant vector (one sample per series) or a scalar. Matrices and strings are refused.
public enum PrometheusResult: Equatable, Sendable {
    public struct Series: Equatable, Sendable {
        public var labels: [String: String]
        public var value: Double
        public init(labels: [String: String], value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    case vector([Series])
    case scalar(Double)

    /// Every numeric value in the result.
    public var values: [Double] {
        switch self {
        case .vector(let series): return series.map(\.value)
        case .scalar(let value): return [value]
        }
    }

    /// Why a body could not be read as a query result (or the server's own error).
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var description: String
        /// True when the server itself reported the error (`"status":"error"`).
        public var fromServer = false
    }

    /// Parse the JSON body of `/api/v1/query`. `{"status":"error"}` answers throw with the
    /// server's errorType and error message.
    public static func parse(_ body: Data) throws -> PrometheusResult {
        guard let root = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw ParseError(description: "response is not a JSON object: \(String(decoding: body.prefix(120), as: UTF8.self))")
        }
        guard let status = root["status"] as? String else { throw ParseError(description: "response has no status") }
        guard status == "success" else {
            let type = root["errorType"] as? String ?? "error"
            throw ParseError(description: "query failed: \(type): \(root["error"] as? String ?? "no message")", fromServer: true)
        }
        guard let data = root["data"] as? [String: Any], let type = data["resultType"] as? String else {
            throw ParseError(description: "response has no data.resultType")
        }
        switch type {
        case "vector":
            guard let items = data["result"] as? [[String: Any]] else { throw ParseError(description: "vector result is not a list") }
            return .vector(try items.map { item in
                let labels = item["metric"] as? [String: String] ?? [:]
                return Series(labels: labels, value: try sampleValue(item["value"]))
            })
        case "scalar":
            return .scalar(try sampleValue(data["result"]))
        default:
            throw ParseError(description: "result type '\(type)' is not supported; use an instant vector or scalar query")
        }
    }

    /// A sample is `[unixTime, "value"]`; the value is a string so NaN and ±Inf survive JSON.
    private static func sampleValue(_ raw: Any?) throws -> Double {
        guard let pair = raw as? [Any], pair.count == 2, let text = pair[1] as? String else {
            throw ParseError(description: "sample is not [time, \"value\"]")
        }
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            guard let value = Double(text) else { throw ParseError(description: "sample value '\(text)' is not a number") }
            return value
        }
    }
}
