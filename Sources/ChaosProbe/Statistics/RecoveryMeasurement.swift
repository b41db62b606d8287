/// Recovery after one fault mark (a fault window's end, or a one-shot fault), see
/// ``RecoveryAnalyzer`` for the exact definitions.
public struct RecoveryMeasurement: Codable, Sendable, Equatable {
    /// The mark measured from (`.faultEnd` or `.oneShot`).
    public var mark: LoopEvent
    /// When the fault began: the matching `.faultStart`, or the one-shot instant itself.
    public var faultStartNanoseconds: UInt64?
    /// N: how many consecutive healthy samples make "recovered".
    public var consecutiveHealthy: Int
    /// Start of the first sample of the healthy run (the last probe to recover); nil if none.
    public var recoveredAtNanoseconds: UInt64?
    /// `recoveredAt − mark`, seconds; nil when not recovered.
    public var recoverySeconds: Double?
    /// First failed sample after the fault began, minus the fault start; nil if no failure was seen.
    public var timeToDetectSeconds: Double?
    /// Seconds of samples examined after the mark (up to the next fault or the end of the run).
    public var observedSeconds: Double
    /// Per probe: recovery seconds, nil when that probe did not recover.
    public var perProbe: [String: Double?]
    /// Why the samples cannot say whether it recovered (none after the mark, or a healthy
    /// streak still short of `consecutiveHealthy` when the observation ended); nil when they can.
    public var notMeasured: String?

    /// "recovered in 1.2s", "not recovered within 30s" or "not measured: no sample after it".
    public var summary: String {
        if let seconds = recoverySeconds { return "recovered in \(DurationText.seconds(seconds))" }
        if let why = notMeasured { return "not measured: \(why)" }
        return "not recovered within \(DurationText.seconds(observedSeconds))"
    }

    /// Add why nothing could be measured ("the run was aborted: signal 2").
    public mutating func explainNotMeasured(_ cause: String) {
        if let why = notMeasured { notMeasured = "\(why) (\(cause))" }
    }

    public init(mark: LoopEvent, faultStartNanoseconds: UInt64?, consecutiveHealthy: Int,
                recoveredAtNanoseconds: UInt64?, recoverySeconds: Double?, timeToDetectSeconds: Double?,
                observedSeconds: Double, perProbe: [String: Double?], notMeasured: String? = nil) {
        self.mark = mark
        self.faultStartNanoseconds = faultStartNanoseconds
        self.consecutiveHealthy = consecutiveHealthy
        self.recoveredAtNanoseconds = recoveredAtNanoseconds
        self.recoverySeconds = recoverySeconds
        self.timeToDetectSeconds = timeToDetectSeconds
        self.observedSeconds = observedSeconds
        self.perProbe = perProbe
        self.notMeasured = notMeasured
    }
}
