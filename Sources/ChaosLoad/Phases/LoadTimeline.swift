/// User traffic over time for the report's timeline: requests, error rate and p95 per
/// fixed-length bucket of the generator's wall clock between the load's start and end.
/// Buckets lengthen with the run so that a soak of hours still has at most `maxBuckets`.
public struct LoadTimeline: LoadSampleSink {
    public struct Bucket: Sendable, Equatable {
        /// Bucket start, ns since the Unix epoch (wall clock).
        public var startWall: Int64
        public var seconds: Double
        public var requests: Int
        public var requestRate: Double
        public var errorRate: Double?
        public var p95Milliseconds: Double?
    }

    public let startWall: Int64
    public let bucketNanoseconds: Int64
    private var tallies: [RequestTally]

    public init(from start: ClockReading, to end: ClockReading, maxBuckets: Int = 600) {
        startWall = start.wallNanoseconds
        let span = max(Int64(1), end.wallNanoseconds - start.wallNanoseconds)
        let wholeSeconds = (span / Int64(max(1, maxBuckets)) + 999_999_999) / 1_000_000_000
        bucketNanoseconds = max(1, wholeSeconds) * 1_000_000_000
        let count = Int((span + bucketNanoseconds - 1) / bucketNanoseconds)
        tallies = (0..<max(1, count)).map { _ in RequestTally(precision: .two) }
    }

    public mutating func record(_ sample: LoadSample) {
        let offset = sample.wallNanoseconds - startWall
        guard offset >= 0 else { return }
        let index = Int(offset / bucketNanoseconds)
        guard index < tallies.count else { return }
        tallies[index].record(sample)
    }

    public var buckets: [Bucket] {
        let seconds = Double(bucketNanoseconds) / 1e9
        return tallies.enumerated().map { index, tally in
            Bucket(startWall: startWall + Int64(index) * bucketNanoseconds, seconds: seconds, requests: tally.requests,
                   requestRate: Double(tally.requests) / seconds, errorRate: tally.errorRate,
                   p95Milliseconds: tally.milliseconds(atPercentile: 95))
        }
    }
}
