/// Limits a run must stay within, as an experiment file states them
/// (`max_error_rate`, `p95_ms`, `p99_ms`, `recover_within`). Unset limits are not checked.
/// To give phases different limits (a looser error rate while the fault is applied), pass
/// several objectives, each restricted with `phases`.
public struct ServiceLevelObjectives: Codable, Sendable, Equatable {
    /// Highest acceptable failures / samples in a phase, 0...1.
    public var maxErrorRate: Double?
    /// Highest acceptable p95 / p99 latency in a phase, milliseconds.
    public var p95Milliseconds: Double?
    public var p99Milliseconds: Double?
    /// Longest acceptable recovery after each fault mark, seconds.
    public var recoverWithin: Double?
    /// Phases the per-phase limits apply to; nil means every phase of the run.
    public var phases: [String]?

    public init(maxErrorRate: Double? = nil, p95Milliseconds: Double? = nil, p99Milliseconds: Double? = nil,
                recoverWithin: Double? = nil, phases: [String]? = nil) {
        self.maxErrorRate = maxErrorRate
        self.p95Milliseconds = p95Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.recoverWithin = recoverWithin
        self.phases = phases
    }
}
