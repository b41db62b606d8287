import Foundation

/// Turns measured statistics into verdicts. A limit passes when the measured value is at or
/// under it. A limit with nothing to measure (a phase without samples or latencies, a
/// recovery the samples cannot decide) is "not measured": neither a pass nor a failure, and
/// it keeps the run from passing, so missing data can never look like success or failure.
public enum SLOEvaluator {
    public static func evaluate(_ objectives: [ServiceLevelObjectives], phases: [PhaseStatistics],
                                recoveries: [RecoveryMeasurement]) -> [SLOVerdict] {
        var verdicts: [SLOVerdict] = []
        for slo in objectives {
            let checked = phases.filter { slo.phases?.contains($0.phase) ?? true }
            // A phase named in the SLO but absent from the run is "not measured" rather than disappearing.
            let missing = (slo.phases ?? []).filter { name in !phases.contains { $0.phase == name } }
            var all = checked + missing.map { PhaseStatistics(phase: $0, samples: []) }
            // A run with no phase at all (nothing sampled) still owes every limit a verdict.
            if all.isEmpty { all = [PhaseStatistics(phase: "run", samples: [])] }
            for stats in all {
                if let limit = slo.maxErrorRate { verdicts.append(errorRate(stats, limit)) }
                if let limit = slo.p95Milliseconds {
                    verdicts.append(latency("p95_ms", "p95", stats, stats.latency?.p95Milliseconds, limit))
                }
                if let limit = slo.p99Milliseconds {
                    verdicts.append(latency("p99_ms", "p99", stats, stats.latency?.p99Milliseconds, limit))
                }
            }
            if let limit = slo.recoverWithin {
                verdicts += recoveries.map { recovery(for: $0, limit) }
            }
        }
        return verdicts
    }

    private static func errorRate(_ stats: PhaseStatistics, _ limit: Double) -> SLOVerdict {
        guard let rate = stats.errorRate else {
            return .notMeasured(objective: "max_error_rate", phase: stats.phase, fault: nil, limit: limit, unit: "ratio",
                                why: "no samples in \(stats.phase)")
        }
        let passed = rate <= limit
        return SLOVerdict(objective: "max_error_rate", phase: stats.phase, fault: nil, measured: rate, limit: limit,
                          unit: "ratio", passed: passed,
                          detail: "error rate \(percent(rate)) \(passed ? "<=" : ">") \(percent(limit)) in \(stats.phase) (\(stats.failures)/\(stats.count) failed)")
    }

    private static func latency(_ objective: String, _ label: String, _ stats: PhaseStatistics,
                                _ measured: Double?, _ limit: Double) -> SLOVerdict {
        guard let value = measured else {
            return .notMeasured(objective: objective, phase: stats.phase, fault: nil, limit: limit, unit: "ms",
                                why: stats.count == 0 ? "no samples in \(stats.phase)" : "no latency measured in \(stats.phase)")
        }
        let passed = value <= limit
        return SLOVerdict(objective: objective, phase: stats.phase, fault: nil, measured: value, limit: limit,
                          unit: "ms", passed: passed,
                          detail: "\(label) \(milliseconds(value)) \(passed ? "<=" : ">") \(milliseconds(limit)) in \(stats.phase)")
    }

    private static func recovery(for measurement: RecoveryMeasurement, _ limit: Double) -> SLOVerdict {
        let label = measurement.mark.label
        if let why = measurement.notMeasured {
            return .notMeasured(objective: "recover_within", phase: nil, fault: label, limit: limit, unit: "s",
                                why: "\(label): \(why)")
        }
        // Failing for less than the limit proves nothing about the limit.
        if measurement.recoverySeconds == nil && measurement.observedSeconds < limit {
            return .notMeasured(objective: "recover_within", phase: nil, fault: label, limit: limit, unit: "s",
                                why: "\(label): still failing when the observation ended after \(DurationText.seconds(measurement.observedSeconds)), short of the \(DurationText.seconds(limit)) limit")
        }
        guard let seconds = measurement.recoverySeconds else {
            return SLOVerdict(objective: "recover_within", phase: nil, fault: label, measured: nil, limit: limit,
                              unit: "s", passed: false,
                              detail: "\(label): \(measurement.summary), limit \(DurationText.seconds(limit))")
        }
        let passed = seconds <= limit
        return SLOVerdict(objective: "recover_within", phase: nil, fault: label, measured: seconds, limit: limit,
                          unit: "s", passed: passed,
                          detail: "\(label): recovered in \(DurationText.seconds(seconds)) \(passed ? "<=" : ">") \(DurationText.seconds(limit))")
    }

    static func percent(_ ratio: Double) -> String { String(format: "%.2f%%", ratio * 100) }
    static func milliseconds(_ value: Double) -> String { String(format: "%.1fms", value) }
}
