/// Counts, rates and latency of the samples of one phase (or of the whole run).
///
/// Latency percentiles cover every probe run that completed, failed ones included (a
/// timeout is a real, long latency); skipped ticks have no latency and count only as failures.
public struct PhaseStatistics: Codable, Sendable, Equatable {
    public var phase: String
    public var count: Int
    public var successes: Int
    public var failures: Int
    /// Failures that were skipped ticks (probe still running, loop fell behind).
    public var skipped: Int
    /// successes / count; nil when the phase has no samples.
    public var successRate: Double?
    /// failures / count; nil when the phase has no samples.
    public var errorRate: Double?
    public var latency: LatencySummary?
    /// Start of the first and last sample, ns since loop start.
    public var firstNanoseconds: UInt64?
    public var lastNanoseconds: UInt64?

    public init(phase: String, samples: [ProbeSample]) {
        self.phase = phase
        count = samples.count
        successes = samples.filter(\.ok).count
        failures = count - successes
        skipped = samples.filter(\.skipped).count
        successRate = count == 0 ? nil : Double(successes) / Double(count)
        errorRate = count == 0 ? nil : Double(failures) / Double(count)
        latency = LatencySummary(nanoseconds: samples.compactMap(\.latencyNanoseconds))
        firstNanoseconds = samples.map(\.startNanoseconds).min()
        lastNanoseconds = samples.map(\.startNanoseconds).max()
    }

    /// One entry per phase, in the order phases were entered.
    public static func byPhase(_ run: ProbeRun) -> [PhaseStatistics] {
        let grouped = Dictionary(grouping: run.samples, by: \.phase)
        return run.phaseNames.map { PhaseStatistics(phase: $0, samples: grouped[$0] ?? []) }
    }

    /// The whole run as one pseudo-phase named "all".
    public static func overall(_ run: ProbeRun) -> PhaseStatistics {
        PhaseStatistics(phase: "all", samples: run.samples)
    }
}
