/// Which fields of a per-request JSONL log hold what (set in the experiment file). A field
/// name may be a dotted path into nested objects: `timing.total_ms`.
public struct JSONLFieldMapping: Codable, Sendable, Equatable {
    public enum TimeUnit: String, Codable, Sendable, CaseIterable {
        case seconds = "s", milliseconds = "ms", microseconds = "us", nanoseconds = "ns"
        /// An RFC 3339 string, `2026-12-03T12:29:17.265Z`.
        case rfc3339

        var nanosecondsPerUnit: Double {
            switch self {
            case .seconds: return 1e9
            case .milliseconds: return 1e6
            case .microseconds: return 1e3
            case .nanoseconds, .rfc3339: return 1
            }
        }
    }

    /// How the log says a request went wrong.
    public enum Verdict: Codable, Sendable, Equatable {
        /// A boolean field, true = success.
        case success(field: String)
        /// An HTTP-like status field: 200–399 succeed, anything else (0 = no answer) fails.
        case status(field: String)
    }

    public var timestamp: String
    public var timestampUnit: TimeUnit
    public var latency: String
    /// Unit of the latency field (rfc3339 is not allowed here).
    public var latencyUnit: TimeUnit
    public var verdict: Verdict
    public var name: String?

    public init(timestamp: String, timestampUnit: TimeUnit, latency: String, latencyUnit: TimeUnit,
                verdict: Verdict, name: String? = nil) {
        self.timestamp = timestamp
        self.timestampUnit = timestampUnit
        self.latency = latency
        self.latencyUnit = latencyUnit
        self.verdict = verdict
        self.name = name
    }
}
