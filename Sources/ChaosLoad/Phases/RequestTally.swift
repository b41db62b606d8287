import Histogram

/// Requests, failures and a latency histogram for one phase (or one request name, or one
/// recovery window). Latencies are recorded in microseconds from 1 µs to 10 minutes (longer
/// ones are clamped: no generator timeout is that long).
struct RequestTally {
    static let highestMicroseconds: UInt64 = 600_000_000

    var requests = 0
    var failures = 0
    /// Requests whose outcome the output did not give: in `requests`, in no error rate.
    var unknown = 0
    var firstWall: Int64?
    var lastWall: Int64?
    private var histogram: Histogram<UInt32>

    /// `.three` digits (0.1 % error) for phases; `.two` (1 %, a fifteenth of the memory) for
    /// per-name tallies and recovery windows, of which there may be hundreds.
    init(precision: SignificantDigits) {
        histogram = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: Self.highestMicroseconds,
                              numberOfSignificantValueDigits: precision)
    }

    @inline(__always) mutating func record(_ sample: LoadSample) {
        requests += 1
        switch sample.outcome {
        case .failure: failures += 1
        case .unknown: unknown += 1
        case .success: break
        }
        let micros = UInt64(max(1, min(sample.latencyMilliseconds * 1000, Double(Self.highestMicroseconds))))
        _ = histogram.record(micros)
        if firstWall.map({ sample.wallNanoseconds < $0 }) ?? true { firstWall = sample.wallNanoseconds }
        if lastWall.map({ sample.wallNanoseconds > $0 }) ?? true { lastWall = sample.wallNanoseconds }
    }

    /// failures / requests that said how they went; nil when none did.
    var errorRate: Double? {
        let judged = requests - unknown
        return judged > 0 ? Double(failures) / Double(judged) : nil
    }

    /// Latency at a percentile in ms; nil without requests.
    func milliseconds(atPercentile p: Double) -> Double? {
        requests > 0 ? Double(histogram.valueAtPercentile(p)) / 1000 : nil
    }
}
