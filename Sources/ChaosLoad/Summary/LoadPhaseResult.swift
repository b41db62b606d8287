/// One phase's load figures, as journal.json's `load.phases.<phase>` object carries them.
public struct LoadPhaseResult: Codable, Sendable, Equatable {
    public var requests: Int
    public var failures: Int
    /// Requests whose success the output did not give (in no error rate).
    public var unknownOutcome: Int
    /// Phase length by the monotonic clock.
    public var seconds: Double
    public var requestRate: Double?
    /// failures / judged requests, 0..1; nil without judged requests.
    public var errorRate: Double?
    public var p50Milliseconds: Double?
    public var p95Milliseconds: Double?
    public var p99Milliseconds: Double?
    /// This phase minus `pre` (absent for `pre` itself, and when `pre` has no figure).
    public var delta: LoadDelta?
    /// Per request name (absent when the output names none).
    public var names: [String: LoadPhaseResult]?
    /// Why these figures cannot decide a verdict; nil when they can.
    public var notMeasured: String?

    enum CodingKeys: String, CodingKey {
        case requests, failures, unknownOutcome = "unknown_outcome", seconds, requestRate = "request_rate",
             errorRate = "error_rate", p50Milliseconds = "p50_ms", p95Milliseconds = "p95_ms",
             p99Milliseconds = "p99_ms", delta, names, notMeasured = "not_measured"
    }

    public init(requests: Int, failures: Int, unknownOutcome: Int = 0, seconds: Double, errorRate: Double?,
                p50Milliseconds: Double?, p95Milliseconds: Double?, p99Milliseconds: Double?) {
        self.requests = requests
        self.failures = failures
        self.unknownOutcome = unknownOutcome
        self.seconds = seconds
        requestRate = seconds > 0 ? Double(requests) / seconds : nil
        self.errorRate = errorRate
        self.p50Milliseconds = p50Milliseconds
        self.p95Milliseconds = p95Milliseconds
        self.p99Milliseconds = p99Milliseconds
    }

    init(_ tally: RequestTally, seconds: Double) {
        self.init(requests: tally.requests, failures: tally.failures, unknownOutcome: tally.unknown, seconds: seconds,
                  errorRate: tally.errorRate, p50Milliseconds: tally.milliseconds(atPercentile: 50),
                  p95Milliseconds: tally.milliseconds(atPercentile: 95), p99Milliseconds: tally.milliseconds(atPercentile: 99))
    }
}

/// A phase's figures minus `pre`'s: positive = worse latency or more errors than before.
public struct LoadDelta: Codable, Sendable, Equatable {
    public var requestRate: Double?
    public var errorRate: Double?
    public var p50Milliseconds: Double?
    public var p95Milliseconds: Double?
    public var p99Milliseconds: Double?

    enum CodingKeys: String, CodingKey {
        case requestRate = "request_rate", errorRate = "error_rate", p50Milliseconds = "p50_ms",
             p95Milliseconds = "p95_ms", p99Milliseconds = "p99_ms"
    }

    init(_ phase: LoadPhaseResult, against pre: LoadPhaseResult) {
        func minus(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b else { return nil }
            return a - b
        }
        requestRate = minus(phase.requestRate, pre.requestRate)
        errorRate = minus(phase.errorRate, pre.errorRate)
        p50Milliseconds = minus(phase.p50Milliseconds, pre.p50Milliseconds)
        p95Milliseconds = minus(phase.p95Milliseconds, pre.p95Milliseconds)
        p99Milliseconds = minus(phase.p99Milliseconds, pre.p99Milliseconds)
    }
}
