import Foundation

/// One threshold as k6 judged it at the end of the run.
public struct K6Threshold: Codable, Sendable, Equatable {
    public var metric: String
    /// The threshold's expression as written in the script, e.g. `p(95)<500`.
    public var expression: String
    public var failed: Bool
}

/// k6's `--summary-export FILE`: the end-of-run summary, read for its thresholds (carried
/// into chaosctl's verdict) and a few whole-run figures. In this format a threshold's value
/// `true` means it FAILED (k6 then exits 99); recorded from k6 v1.1.0 in
/// Tests/ChaosLoadTests/Fixtures/k6-v1.1.0-summary-export.json.
public struct K6SummaryExport: Sendable, Equatable {
    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public var thresholds: [K6Threshold]
    /// `http_reqs.count`, when present.
    public var requestCount: Int?
    /// `http_req_failed.value` (0..1), when present.
    public var failedRate: Double?
    /// `http_req_duration["p(95)"]` in ms, when present.
    public var p95Milliseconds: Double?

    public var anyThresholdFailed: Bool { thresholds.contains { $0.failed } }

    public static func read(path: String) throws -> K6SummaryExport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Invalid(path: path, message: "k6 did not write its summary (no such file)")
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String) throws -> K6SummaryExport {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw Invalid(path: path, message: "not JSON (\(data.isEmpty ? "empty file" : "cut short or garbled"))")
        }
        guard let metrics = (root as? [String: Any])?["metrics"] as? [String: Any] else {
            throw Invalid(path: path, message: "no \"metrics\" object: not a k6 --summary-export file")
        }
        var thresholds: [K6Threshold] = []
        for (metric, body) in metrics.sorted(by: { $0.key < $1.key }) {
            guard let fields = body as? [String: Any], let marks = fields["thresholds"] else { continue }
            guard let byExpression = marks as? [String: Any] else {
                throw Invalid(path: path, message: "metrics.\(metric).thresholds: not an object")
            }
            for (expression, value) in byExpression.sorted(by: { $0.key < $1.key }) {
                guard let failed = value as? Bool else {
                    throw Invalid(path: path, message: "metrics.\(metric).thresholds.\(expression): '\(value)' is not true/false")
                }
                thresholds.append(K6Threshold(metric: metric, expression: expression, failed: failed))
            }
        }
        func number(_ metric: String, _ key: String) -> Double? {
            ((metrics[metric] as? [String: Any])?[key] as? NSNumber)?.doubleValue
        }
        let count = number("http_reqs", "count")
        // Int(Double) traps past Int.max (found by reading the fuzz target's inputs): refuse it.
        if let count, !(count >= 0 && count < 9.0e18 && count.rounded() == count) {
            throw Invalid(path: path, message: "metrics.http_reqs.count: '\(count)' is not a count of requests")
        }
        return K6SummaryExport(thresholds: thresholds, requestCount: count.map { Int($0) },
                               failedRate: number("http_req_failed", "value"),
                               p95Milliseconds: number("http_req_duration", "p(95)"))
    }
}
