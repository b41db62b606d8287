/// The last seconds of user traffic, for the live status line and stop conditions ("abort if
/// the load error rate stays above 20 % for 10 s"): per-second buckets in a ring keyed by the
/// generator's wall-clock second, so memory is fixed whatever the run's length.
public struct LiveLoadWindow: LoadSampleSink {
    private struct Bucket {
        var second: Int64 = .min
        var requests = 0
        var failures = 0
        var judged = 0
    }

    private var buckets: [Bucket]
    public private(set) var newestSecond: Int64?

    /// Keeps `seconds` seconds of history.
    public init(seconds: Int = 60) {
        buckets = Array(repeating: Bucket(), count: max(1, seconds))
    }

    public mutating func record(_ sample: LoadSample) {
        let second = sample.wallNanoseconds / 1_000_000_000
        if let newest = newestSecond, second <= newest - Int64(buckets.count) { return }  // older than the ring
        // Floored modulo: a stamp before 1970 (a wrong clock) has a negative second.
        let slot = Int(((second % Int64(buckets.count)) + Int64(buckets.count)) % Int64(buckets.count))
        if buckets[slot].second != second { buckets[slot] = Bucket(second: second) }
        buckets[slot].requests += 1
        if sample.outcome != .unknown { buckets[slot].judged += 1 }
        if sample.outcome == .failure { buckets[slot].failures += 1 }
        newestSecond = max(newestSecond ?? second, second)
    }

    /// Requests, request rate and error rate over the `seconds` whole seconds ending at
    /// `endSecond` (exclusive; by default the newest second seen, still filling, is left out).
    public func recent(seconds: Int, endingBefore endSecond: Int64? = nil) -> (requests: Int, requestRate: Double, errorRate: Double?) {
        guard let end = endSecond ?? newestSecond else { return (0, 0, nil) }
        let span = min(seconds, buckets.count)
        var requests = 0, failures = 0, judged = 0
        for second in (end - Int64(span))..<end {
            let bucket = buckets[Int(((second % Int64(buckets.count)) + Int64(buckets.count)) % Int64(buckets.count))]
            guard bucket.second == second else { continue }
            requests += bucket.requests
            failures += bucket.failures
            judged += bucket.judged
        }
        return (requests, Double(requests) / Double(max(1, span)), judged > 0 ? Double(failures) / Double(judged) : nil)
    }
}
