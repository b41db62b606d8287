/// Locust's per-second cumulative rows cut at the plan's instants.
///
/// - Requests and errors of a phase: the change in `Total Request Count` / `Total Failure
///   Count` between the last row stamped at or before the phase's start and the last row
///   stamped at or before its end. Locust stamps whole seconds, so each cut is exact to one
///   second.
/// - Percentiles: Locust's are over its recent window (W = `locustPercentileWindowSeconds`),
///   so a phase's p50/p95/p99 is the worst windowed value among rows whose whole window lies
///   inside the phase; a phase shorter than W has none ("not measured").
/// - Recovery windows: the change in the counts across each window, and the p95 of the
///   window's last row (lagging by up to W).
public enum LocustPhaseAnalysis {
    public static func summary(reader: LocustHistoryReader, plan: LoadPhasePlan, options: LoadAnalysisOptions = LoadAnalysisOptions(),
                               exit: GeneratorExit? = nil) -> LoadSummary {
        var problems = reader.problems
        let byName = Dictionary(grouping: reader.usable ? reader.rows : [], by: \.name)
        let aggregate = (byName["Aggregated"] ?? []).sorted { $0.timestamp < $1.timestamp }
        if let outside = outsideSpan(aggregate, plan: plan, tolerance: options.clockToleranceSeconds) {
            problems.append(LoadProblem(source: reader.path, message: outside))
        }
        let window = options.locustPercentileWindowSeconds
        var results: [LoadPhaseResult] = []
        var traffic: [(first: Int64?, last: Int64?)] = []
        for phase in plan.phases {
            var result = figures(aggregate, phase: phase, percentileWindow: window)
            var names: [String: LoadPhaseResult] = [:]
            for (name, rows) in byName where name != "Aggregated" {
                names[name] = figures(rows.sorted { $0.timestamp < $1.timestamp }, phase: phase, percentileWindow: window)
            }
            if !names.isEmpty { result.names = names }
            results.append(result)
            traffic.append(span(aggregate, phase: phase))
        }
        let recoveries = plan.faults.enumerated().map { index, fault -> LoadRecovery in
            let horizon = plan.faults[(index + 1)...].map(\.start.wallNanoseconds).min() ?? plan.loadEnd.wallNanoseconds
            return LoadRecovery.find(fault: fault.name, windows: windows(aggregate, origin: fault.end.wallNanoseconds,
                                                                          horizon: horizon, criteria: options.recovery),
                                     criteria: options.recovery)
        }
        return LoadSummaryAssembly(tool: .locust, source: reader.path, plan: plan, options: options, results: results,
                                   traffic: traffic, recoveries: recoveries, counts: reader.counts, exit: exit,
                                   problems: problems).summary()
    }

    /// The cumulative row in force at `wall`: the last stamped at or before it.
    static func row(_ rows: [LocustHistoryRow], at wall: Int64) -> LocustHistoryRow? {
        var found: LocustHistoryRow?
        for row in rows {
            if row.timestamp * 1_000_000_000 <= wall { found = row } else { break }
        }
        return found
    }

    static func figures(_ rows: [LocustHistoryRow], phase: LoadPhase, percentileWindow: Double) -> LoadPhaseResult {
        let before = row(rows, at: phase.start.wallNanoseconds)
        let after = row(rows, at: phase.end.wallNanoseconds)
        let requests = max(0, (after?.totalRequests ?? 0) - (before?.totalRequests ?? 0))
        let failures = max(0, (after?.totalFailures ?? 0) - (before?.totalFailures ?? 0))
        let inside = rows.filter {
            let windowStart = Double($0.timestamp) - percentileWindow
            return windowStart * 1e9 >= Double(phase.start.wallNanoseconds) && ($0.timestamp + 1) * 1_000_000_000 <= phase.end.wallNanoseconds
        }
        func worst(_ value: (LocustHistoryRow) -> Double?) -> Double? { inside.compactMap(value).max() }
        return LoadPhaseResult(requests: requests, failures: failures, seconds: phase.seconds,
                               errorRate: requests > 0 ? Double(failures) / Double(requests) : nil,
                               p50Milliseconds: worst(\.p50Milliseconds), p95Milliseconds: worst(\.p95Milliseconds),
                               p99Milliseconds: worst(\.p99Milliseconds))
    }

    /// First and last second in the phase where the count grew.
    static func span(_ rows: [LocustHistoryRow], phase: LoadPhase) -> (first: Int64?, last: Int64?) {
        var previous = row(rows, at: phase.start.wallNanoseconds)?.totalRequests ?? 0
        var first: Int64?
        var last: Int64?
        for row in rows where phase.contains(wall: row.timestamp * 1_000_000_000) {
            if row.totalRequests > previous {
                first = first ?? row.timestamp * 1_000_000_000
                last = (row.timestamp + 1) * 1_000_000_000 - 1
            }
            previous = row.totalRequests
        }
        return (first, last)
    }

    static func windows(_ rows: [LocustHistoryRow], origin: Int64, horizon: Int64, criteria: RecoveryCriteria) -> [TrafficWindow] {
        let length = Int64(max(1, criteria.windowSeconds) * 1e9)
        // Only windows that end before the horizon and before the last row are complete.
        let lastRow = (rows.last?.timestamp ?? 0) * 1_000_000_000
        let end = min(horizon, lastRow)
        guard end > origin else { return [] }
        let count = min(criteria.maxWindows, Int((end - origin) / length))
        return (0..<count).map { k in
            let start = row(rows, at: origin + Int64(k) * length)
            let stop = row(rows, at: origin + Int64(k + 1) * length)
            let requests = max(0, (stop?.totalRequests ?? 0) - (start?.totalRequests ?? 0))
            let failures = max(0, (stop?.totalFailures ?? 0) - (start?.totalFailures ?? 0))
            return TrafficWindow(requests: requests, errorRate: requests > 0 ? Double(failures) / Double(requests) : nil,
                                 p95Milliseconds: stop?.p95Milliseconds)
        }
    }

    static func outsideSpan(_ rows: [LocustHistoryRow], plan: LoadPhasePlan, tolerance: Double) -> String? {
        var tally = ClockAgreement.OutsideSpan()
        // Whole-second stamps: allow the second they were truncated to.
        let slack = Int64(tolerance * 1e9) + 1_000_000_000
        for row in rows where row.totalRequests > 0 { tally.record(row.timestamp * 1_000_000_000, plan: plan, tolerance: slack) }
        return tally.problem(total: rows.count, plan: plan, tolerance: tolerance + 1, unit: "rows")
    }
}
