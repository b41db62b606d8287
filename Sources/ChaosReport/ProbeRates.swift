import ChaosProbe

/// The probes' request rate and error rate over time, in buckets of several probe
/// intervals, so one failed check among many does not look like a 100 % spike. A bucket
/// without samples has no value (not measured), never 0.
public enum ProbeRates {
    /// At least this many probe intervals per bucket, and at most `maxBuckets` buckets.
    static let intervalsPerBucket: UInt64 = 5
    static let maxBuckets: UInt64 = 120

    public static func bucketNanoseconds(_ run: ProbeRun) -> UInt64 {
        max(run.intervalNanoseconds * intervalsPerBucket, run.durationNanoseconds / maxBuckets, 1)
    }

    /// "probe checks/s" and "probe error rate", one point per bucket at its middle.
    public static func series(_ run: ProbeRun) -> [TimeSeries] {
        let bucket = bucketNanoseconds(run)
        let end = max(run.durationNanoseconds, (run.samples.last?.startNanoseconds ?? 0) + 1)
        let count = Int((end + bucket - 1) / bucket)
        var checks = [Int](repeating: 0, count: count), failures = [Int](repeating: 0, count: count)
        for sample in run.samples {
            let index = min(Int(sample.startNanoseconds / bucket), count - 1)
            checks[index] += 1
            if !sample.ok { failures[index] += 1 }
        }
        var rate: [TimeSeries.Point] = [], errors: [TimeSeries.Point] = []
        for index in 0..<count {
            let start = UInt64(index) * bucket
            // The last bucket may be cut short by the end of the run: divide by what it covered.
            let covered = Double(min(start + bucket, end) - start) / 1e9
            let middle = start + (min(start + bucket, end) - start) / 2
            let measured = checks[index] > 0
            rate.append(.init(atNanoseconds: middle, value: measured ? Double(checks[index]) / covered : nil))
            errors.append(.init(atNanoseconds: middle, value: measured ? Double(failures[index]) / Double(checks[index]) : nil))
        }
        return [TimeSeries(name: "probe checks/s", quantity: .requestRate, points: rate),
                TimeSeries(name: "probe error rate", quantity: .errorRate, points: errors)]
    }
}
