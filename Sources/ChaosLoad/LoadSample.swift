/// One request as a load generator saw it.
public struct LoadSample: Sendable, Equatable {
    /// Whether the request counts as an error, as the generator judged it.
    public enum Outcome: UInt8, Sendable {
        case success
        case failure
        /// The output does not say (a k6 point without tags): counted, but in no error rate.
        case unknown
    }

    /// When the request was made, by the generator's wall clock, ns since the Unix epoch.
    public var wallNanoseconds: Int64
    public var latencyMilliseconds: Double
    public var outcome: Outcome
    /// The request's name (k6 `name` tag, Locust name, JSONL name field); nil when not given.
    public var name: String?

    public init(wallNanoseconds: Int64, latencyMilliseconds: Double, outcome: Outcome, name: String? = nil) {
        self.wallNanoseconds = wallNanoseconds
        self.latencyMilliseconds = latencyMilliseconds
        self.outcome = outcome
        self.name = name
    }
}

/// Where readers deliver samples: the phase accumulator, a live window, or a benchmark counter.
public protocol LoadSampleSink {
    mutating func record(_ sample: LoadSample)
}
