import Foundation

/// Writes a k6 `--out json` file of exactly k6 v1.1.0's line format (copied from a real run:
/// Tests/ChaosLoadTests/Fixtures/k6-v1.1.0-out.json): per request the 13 Point lines k6 writes
/// for an HTTP GET, each metric declared once by a Metric line before its first point.
/// Synthetic values: latencies spread over 1–200 ms, one request in 50 answered 503.
enum SyntheticK6Output {
    static let requestMetrics: [(name: String, kind: String, contains: String)] = [
        ("http_reqs", "counter", "default"), ("http_req_duration", "trend", "time"),
        ("http_req_blocked", "trend", "time"), ("http_req_connecting", "trend", "time"),
        ("http_req_tls_handshaking", "trend", "time"), ("http_req_sending", "trend", "time"),
        ("http_req_waiting", "trend", "time"), ("http_req_receiving", "trend", "time"),
        ("http_req_failed", "rate", "default"),
    ]
    static let iterationMetrics: [(name: String, kind: String, contains: String)] = [
        ("data_sent", "counter", "data"), ("data_received", "counter", "data"),
        ("iteration_duration", "trend", "time"), ("iterations", "counter", "default"),
    ]

    /// Writes at least `points` Point lines (whole requests) starting at `start`, `rate`
    /// requests per second; returns the Point lines and requests written.
    static func write(path: String, points: Int, start: Date, requestsPerSecond rate: Double) throws -> (points: Int, requests: Int) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let out = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
        defer { try? out.close() }
        var buffer = ""
        buffer.reserveCapacity(1 << 22)
        var declared = false
        var written = 0
        var request = 0
        let startNs = Int64(start.timeIntervalSince1970 * 1e9)
        let formatter = TimeText()
        let tags = ["GET /api/items", "GET /api/users", "POST /api/orders"]
        while written < points {
            let time = formatter.rfc3339(startNs + Int64(Double(request) / rate * 1e9))
            let failed = request % 50 == 49
            let status = failed ? "503" : "200"
            let name = tags[request % tags.count]
            let tagText = "{\"expected_response\":\"\(!failed)\",\"group\":\"\",\"method\":\"GET\",\"name\":\"\(name)\"," +
                "\"proto\":\"HTTP/1.1\",\"scenario\":\"default\",\"status\":\"\(status)\",\"url\":\"http://127.0.0.1:8080\(name.split(separator: " ")[1])\"}"
            let latency = 1 + Double((request &* 7919) % 199_000) / 1000
            for (index, metric) in (requestMetrics + iterationMetrics).enumerated() {
                if !declared {
                    let thresholds = metric.name == "http_req_duration" ? "[\"p(95)<500\"]" : "[]"
                    buffer += "{\"type\":\"Metric\",\"data\":{\"name\":\"\(metric.name)\",\"type\":\"\(metric.kind)\",\"contains\":\"\(metric.contains)\",\"thresholds\":\(thresholds),\"submetrics\":null},\"metric\":\"\(metric.name)\"}\n"
                }
                let value: String
                switch metric.name {
                case "http_reqs", "iterations": value = "1"
                case "http_req_duration": value = String(format: "%.6f", latency)
                case "http_req_failed": value = failed ? "1" : "0"
                case "data_sent": value = "75"
                case "data_received": value = "148"
                case "iteration_duration": value = String(format: "%.6f", latency + 0.25)
                default: value = String(format: "%.6f", latency / Double(index + 3))
                }
                // Iteration metrics carry only the scenario's tags, as k6 writes them.
                let pointTags = index < requestMetrics.count ? tagText : "{\"group\":\"\",\"scenario\":\"default\"}"
                buffer += "{\"metric\":\"\(metric.name)\",\"type\":\"Point\",\"data\":{\"time\":\"\(time)\",\"value\":\(value),\"tags\":\(pointTags)}}\n"
                written += 1
            }
            declared = true
            request += 1
            if buffer.utf8.count > 1 << 22 {
                out.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        out.write(Data(buffer.utf8))
        return (written, request)
    }
}

/// Go's RFC3339Nano in UTC: fraction without trailing zeros, none at all when zero.
struct TimeText {
    func rfc3339(_ ns: Int64) -> String {
        let seconds = ns / 1_000_000_000
        var fraction = String(ns % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1,
                          parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
        return base + (fraction.isEmpty ? "" : "." + fraction) + "Z"
    }
}
