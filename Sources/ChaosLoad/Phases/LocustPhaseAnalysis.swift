/// Locust's per-second cumulative rows cut at the plan's instants.
///
/// Locust stamps a row with the whole second it was written in, so row T holds the counts
/// at some instant in [T, T+1). Cutting at "the row in force" would mix up to a second of the
/// neighbouring phase into each end, and a fault that also changes the request rate then
/// skews the error rate by far more than a second's share (seen with Locust 2.47.0: 0.30
/// for a true 0.5). So a phase's figures come from the rows surely inside it:
/// - Requests and errors: the change in `Total Request Count` / `Total Failure Count` from the
///   first row stamped at or after the phase's start to the last row stamped at least one
///   second before its end; the request rate divides by the seconds between those rows. Up
///   to two seconds at the phase's edges are left out, none of another phase is let in.
/// - Percentiles: Locust's are over its recent window (W = `locustPercentileWindowSeconds`),
///   so a phase's p50/p95/p99 is the worst windowed value among rows whose whole window lies
///   inside the phase; a phase shorter than W + 1 s has none.
/// - Recovery windows: the same inside rows per window, and the p95 of the window's last
///   row (lagging by up to W). A window without two rows inside (Locust skips rows when its
///   event loop is late) has no data and is passed over. Windows shorter than 3 s hold no two inside rows for sure, so
///   the window length is raised to 3 s.
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
                var sorted = rows.sorted { $0.timestamp < $1.timestamp }
                // Locust writes a name's rows only from its first request on: before, its count was 0.
                if let first = aggregate.first, let own = sorted.first, own.timestamp > first.timestamp {
                    sorted.insert(LocustHistoryRow(timestamp: first.timestamp, name: name, method: own.method, totalRequests: 0,
                                                   totalFailures: 0, p50Milliseconds: nil, p95Milliseconds: nil,
                                                   p99Milliseconds: nil), at: 0)
                }
                names[name] = figures(sorted, phase: phase, percentileWindow: window)
            }
            if !names.isEmpty { result.names = names }
            results.append(result)
            traffic.append(span(aggregate, phase: phase))
        }
        var criteria = options.recovery
        criteria.windowSeconds = max(3, criteria.windowSeconds)
        let recoveries = plan.faults.enumerated().map { index, fault -> LoadRecovery in
            let horizon = plan.faults[(index + 1)...].map(\.start.wallNanoseconds).min() ?? plan.loadEnd.wallNanoseconds
            return LoadRecovery.find(fault: fault.name, windows: windows(aggregate, origin: fault.end.wallNanoseconds,
                                                                          horizon: horizon, criteria: criteria),
                                     criteria: criteria)
        }
        return LoadSummaryAssembly(tool: .locust, source: reader.path, plan: plan, options: options, results: results,
                                   traffic: traffic, recoveries: recoveries, counts: reader.counts, exit: exit,
                                   problems: problems).summary()
    }

    /// The rows surely inside [start, end): the first stamped at or after `start`, the last
    /// stamped at or before `end` − 1 s. Nil when there are not two such rows.
    static func inside(_ rows: [LocustHistoryRow], from start: Int64, to end: Int64) -> (LocustHistoryRow, LocustHistoryRow)? {
        guard let first = rows.first(where: { $0.timestamp * 1_000_000_000 >= start }),
              let last = rows.last(where: { ($0.timestamp + 1) * 1_000_000_000 <= end }),
              last.timestamp > first.timestamp else { return nil }
        return (first, last)
    }

    static func figures(_ rows: [LocustHistoryRow], phase: LoadPhase, percentileWindow: Double) -> LoadPhaseResult {
        var requests = 0, failures = 0
        var countedSeconds = 0.0
        if let (first, last) = inside(rows, from: phase.start.wallNanoseconds, to: phase.end.wallNanoseconds) {
            requests = max(0, last.totalRequests - first.totalRequests)
            failures = max(0, last.totalFailures - first.totalFailures)
            countedSeconds = Double(last.timestamp - first.timestamp)
        }
        let windowed = rows.filter {
            let windowStart = Double($0.timestamp) - percentileWindow
            return windowStart * 1e9 >= Double(phase.start.wallNanoseconds) && ($0.timestamp + 1) * 1_000_000_000 <= phase.end.wallNanoseconds
        }
        func worst(_ value: (LocustHistoryRow) -> Double?) -> Double? { windowed.compactMap(value).max() }
        var result = LoadPhaseResult(requests: requests, failures: failures, seconds: phase.seconds,
                                     errorRate: requests > 0 ? Double(failures) / Double(requests) : nil,
                                     p50Milliseconds: worst(\.p50Milliseconds), p95Milliseconds: worst(\.p95Milliseconds),
                                     p99Milliseconds: worst(\.p99Milliseconds))
        result.requestRate = countedSeconds > 0 ? Double(requests) / countedSeconds : nil
        return result
    }

    /// When traffic was first and last seen in the phase: growth between rows T−1 and T
    /// happened after T−1 at the earliest and before T+1 at the latest.
    static func span(_ rows: [LocustHistoryRow], phase: LoadPhase) -> (first: Int64?, last: Int64?) {
        var first: Int64?
        var last: Int64?
        for (previous, row) in zip(rows, rows.dropFirst()) where row.totalRequests > previous.totalRequests {
            let from = previous.timestamp * 1_000_000_000
            let to = (row.timestamp + 1) * 1_000_000_000 - 1
            guard to >= phase.start.wallNanoseconds && from < phase.end.wallNanoseconds else { continue }
            first = first ?? max(from, phase.start.wallNanoseconds)
            last = min(to, phase.end.wallNanoseconds - 1)
        }
        return (first, last)
    }

    static func windows(_ rows: [LocustHistoryRow], origin: Int64, horizon: Int64, criteria: RecoveryCriteria) -> [TrafficWindow] {
        let length = Int64(criteria.windowSeconds * 1e9)
        // Only windows that end before the horizon and by the last row are complete.
        let lastRow = ((rows.last?.timestamp ?? 0) + 1) * 1_000_000_000
        let end = min(horizon, lastRow)
        guard end > origin else { return [] }
        let count = min(criteria.maxWindows, Int((end - origin) / length))
        return (0..<count).map { k in
            guard let (first, last) = inside(rows, from: origin + Int64(k) * length, to: origin + Int64(k + 1) * length) else {
                return TrafficWindow(requests: 0, errorRate: nil, p95Milliseconds: nil, noData: true)
            }
            let requests = max(0, last.totalRequests - first.totalRequests)
            let failures = max(0, last.totalFailures - first.totalFailures)
            return TrafficWindow(requests: requests, errorRate: requests > 0 ? Double(failures) / Double(requests) : nil,
                                 p95Milliseconds: last.p95Milliseconds)
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
