import Histogram

/// Latency percentiles of a set of samples, in milliseconds. Percentiles come from an
/// HdrHistogram at microsecond resolution with 3 significant digits (error ≤ 0.1 %);
/// `maxMilliseconds` is the exact largest value.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var count: Int
    public var p50Milliseconds: Double
    public var p95Milliseconds: Double
    public var p99Milliseconds: Double
    public var maxMilliseconds: Double
    public var meanMilliseconds: Double

    /// Nil when there is nothing to summarise.
    public init?(nanoseconds values: [UInt64]) {
        guard !values.isEmpty else { return nil }
        // 1 µs to 1 hour; longer latencies are clamped (no probe timeout is that long).
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
                                          numberOfSignificantValueDigits: .three)
        var total = 0.0
        for value in values {
            _ = histogram.record(min(max(1, value / 1000), 3_600_000_000))
            total += Double(value)
        }
        func ms(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000 }
        count = values.count
        p50Milliseconds = ms(histogram.valueAtPercentile(50))
        p95Milliseconds = ms(histogram.valueAtPercentile(95))
        p99Milliseconds = ms(histogram.valueAtPercentile(99))
        maxMilliseconds = Double(values.max()!) / 1e6
        meanMilliseconds = total / Double(values.count) / 1e6
    }
}
