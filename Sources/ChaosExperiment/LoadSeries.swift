import ChaosLoad
import ChaosReport

/// The load generator's request rate, error rate and p95 as timeline series, on the
/// timeline's clock (ns since the probe loop started; earlier points are left out).
enum LoadSeries {
    static func buckets(_ buckets: [LoadTimeline.Bucket], tool: String, loopStartWall: Int64) -> [TimeSeries] {
        var rate: [TimeSeries.Point] = [], errors: [TimeSeries.Point] = [], p95: [TimeSeries.Point] = []
        for bucket in buckets where bucket.startWall >= loopStartWall {
            let at = UInt64(bucket.startWall - loopStartWall)
            rate.append(TimeSeries.Point(atNanoseconds: at, value: bucket.requestRate))
            errors.append(TimeSeries.Point(atNanoseconds: at, value: bucket.errorRate))
            p95.append(TimeSeries.Point(atNanoseconds: at, value: bucket.p95Milliseconds))
        }
        return series(tool: tool, rate: rate, errors: errors, p95: p95)
    }

    /// Locust's aggregate rows hold running totals: rate and error rate from the change
    /// between consecutive rows; p95 as Locust reports it (over its recent window).
    static func locust(_ rows: [LocustHistoryRow], tool: String, loopStartWall: Int64) -> [TimeSeries] {
        let totals = rows.filter(\.isAggregate)
        var rate: [TimeSeries.Point] = [], errors: [TimeSeries.Point] = [], p95: [TimeSeries.Point] = []
        for (before, row) in zip(totals, totals.dropFirst()) {
            let wall = row.timestamp * 1_000_000_000
            guard wall >= loopStartWall, row.timestamp > before.timestamp else { continue }
            let at = UInt64(wall - loopStartWall)
            let requests = row.totalRequests - before.totalRequests
            let failures = row.totalFailures - before.totalFailures
            rate.append(TimeSeries.Point(atNanoseconds: at, value: Double(requests) / Double(row.timestamp - before.timestamp)))
            errors.append(TimeSeries.Point(atNanoseconds: at, value: requests > 0 ? Double(failures) / Double(requests) : nil))
            p95.append(TimeSeries.Point(atNanoseconds: at, value: row.p95Milliseconds))
        }
        return series(tool: tool, rate: rate, errors: errors, p95: p95)
    }

    private static func series(tool: String, rate: [TimeSeries.Point], errors: [TimeSeries.Point],
                               p95: [TimeSeries.Point]) -> [TimeSeries] {
        guard !rate.isEmpty else { return [] }
        return [TimeSeries(name: "\(tool) requests/s", quantity: .requestRate, points: rate),
                TimeSeries(name: "\(tool) error rate", quantity: .errorRate, points: errors),
                TimeSeries(name: "\(tool) p95", quantity: .latency, points: p95)]
    }
}
