/// An SLO on the load generator's own results (`slo` entry with `source: load`): limits on
/// the users' traffic per phase (`pre`, `during`, `post` or a step's name), optionally for
/// one request name only, and a recovery time after each fault.
public struct LoadObjective: Sendable, Equatable {
    public var maxErrorRate: Double?
    public var p95Milliseconds: Double?
    public var p99Milliseconds: Double?
    /// Longest acceptable recovery on user traffic after each fault, seconds.
    public var recoverWithin: Double?
    /// Phases the per-phase limits apply to; nil: `pre`, `during` and `post`.
    public var phases: [String]?
    /// Only requests with this name (k6 `name` tag, Locust `Name`, the JSONL name field).
    public var requestName: String?

    public init(maxErrorRate: Double? = nil, p95Milliseconds: Double? = nil, p99Milliseconds: Double? = nil,
                recoverWithin: Double? = nil, phases: [String]? = nil, requestName: String? = nil) {
        self.maxErrorRate = maxErrorRate
        self.p95Milliseconds = p95Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.recoverWithin = recoverWithin
        self.phases = phases
        self.requestName = requestName
    }
}
