/// When user traffic counts as recovered after a fault: `consecutiveWindows` windows of
/// `windowSeconds` in a row, each with traffic, an error rate at most `maxErrorRate`, and
/// (when set) a p95 at most `maxP95Milliseconds` — the load SLO's own limits.
public struct RecoveryCriteria: Codable, Sendable, Equatable {
    public var windowSeconds: Double = 1
    public var consecutiveWindows = 3
    public var maxErrorRate: Double = 0.01
    public var maxP95Milliseconds: Double?
    /// Windows examined after a fault end at most (bounds memory on long runs).
    public var maxWindows = 600

    public init(windowSeconds: Double = 1, consecutiveWindows: Int = 3, maxErrorRate: Double = 0.01,
                maxP95Milliseconds: Double? = nil, maxWindows: Int = 600) {
        self.windowSeconds = windowSeconds
        self.consecutiveWindows = consecutiveWindows
        self.maxErrorRate = maxErrorRate
        self.maxP95Milliseconds = maxP95Milliseconds
        self.maxWindows = maxWindows
    }
}

/// One window's traffic, whatever the source (k6/JSONL samples, Locust rows).
struct TrafficWindow {
    var requests: Int
    var errorRate: Double?
    var p95Milliseconds: Double?
    /// The source has no figure for this window (Locust skipped its rows there): it neither
    /// counts as healthy nor breaks a healthy run.
    var noData = false
}

/// Recovery time on user traffic after one fault's end (see docs/load-results.md).
public struct LoadRecovery: Codable, Sendable, Equatable {
    public var fault: String
    /// From the fault's end to the start of the first healthy window of the first run of
    /// `consecutive_windows`; the true instant lies within one window before it.
    public var recoverySeconds: Double?
    public var windowSeconds: Double
    public var consecutiveWindows: Int
    /// Full windows examined (until the next fault or the load's end).
    public var windowsExamined: Int
    /// Why traffic cannot say whether it recovered; nil when it can.
    public var notMeasured: String?

    enum CodingKeys: String, CodingKey {
        case fault, recoverySeconds = "recovery_seconds", windowSeconds = "window_seconds",
             consecutiveWindows = "consecutive_windows", windowsExamined = "windows_examined",
             notMeasured = "not_measured"
    }

    /// "recovered in 2s", "not recovered within 30s" or "not measured: …".
    public var summary: String {
        if let seconds = recoverySeconds { return "recovered in \(Self.text(seconds))" }
        if let why = notMeasured { return "not measured: \(why)" }
        return "not recovered within \(Self.text(Double(windowsExamined) * windowSeconds))"
    }

    private static func text(_ s: Double) -> String { "\((s * 1000).rounded() / 1000)s" }

    /// Finds the first run of healthy windows.
    static func find(fault: String, windows: [TrafficWindow], criteria: RecoveryCriteria) -> LoadRecovery {
        let n = max(1, criteria.consecutiveWindows)
        var streak = 0
        var result = LoadRecovery(fault: fault, recoverySeconds: nil, windowSeconds: criteria.windowSeconds,
                                  consecutiveWindows: n, windowsExamined: windows.count, notMeasured: nil)
        var lastWithData: TrafficWindow?
        var runStart = 0
        for (k, window) in windows.enumerated() where !window.noData {
            lastWithData = window
            let healthy = window.requests > 0 && (window.errorRate.map { $0 <= criteria.maxErrorRate } ?? false) &&
                (criteria.maxP95Milliseconds.map { limit in window.p95Milliseconds.map { $0 <= limit } ?? false } ?? true)
            if healthy && streak == 0 { runStart = k }
            streak = healthy ? streak + 1 : 0
            if streak == n {
                result.recoverySeconds = Double(runStart) * criteria.windowSeconds
                return result
            }
        }
        // Undecided unless the last window still had unhealthy traffic.
        guard let last = lastWithData else {
            result.notMeasured = "no full \(text(criteria.windowSeconds)) window of traffic after the fault ended"
            return result
        }
        if streak > 0 {
            result.notMeasured = "\(streak) healthy window(s) in a row of the \(n) needed when the observation ended"
        } else if last.requests == 0 {
            result.notMeasured = "no traffic in the last window after the fault (the generator stopped?)"
        } else if last.errorRate == nil {
            result.notMeasured = "the last window's requests do not say whether they succeeded"
        }
        return result
    }
}

/// The windows after one fault end, filled as samples arrive (in any order).
struct RecoveryWindows {
    let fault: String
    let origin: Int64
    let windowNanoseconds: Int64
    /// Only windows that end by the horizon are full and judged.
    let count: Int
    private var tallies: [RequestTally?]

    init(fault: String, origin: Int64, horizon: Int64, windowSeconds: Double, maxWindows: Int) {
        self.fault = fault
        self.origin = origin
        windowNanoseconds = max(1, Int64(windowSeconds * 1e9))
        count = max(0, min(maxWindows, Int((horizon - origin) / windowNanoseconds)))
        tallies = Array(repeating: nil, count: count)
    }

    @inline(__always) mutating func record(_ sample: LoadSample) {
        guard sample.wallNanoseconds >= origin else { return }
        let index = Int((sample.wallNanoseconds - origin) / windowNanoseconds)
        guard index < count else { return }
        if tallies[index] == nil { tallies[index] = RequestTally(precision: .two) }
        tallies[index]!.record(sample)
    }

    var traffic: [TrafficWindow] {
        tallies.map { tally in
            TrafficWindow(requests: tally?.requests ?? 0, errorRate: tally?.errorRate,
                          p95Milliseconds: tally?.milliseconds(atPercentile: 95))
        }
    }
}
