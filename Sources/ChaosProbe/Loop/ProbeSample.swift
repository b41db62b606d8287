import Foundation

/// One recorded probe run (or one tick that could not run), as kept by ``ProbeLoop``.
/// Times are monotonic nanoseconds since the loop started, so they can be subtracted safely;
/// `wallClock` is only for people reading the journal.
public struct ProbeSample: Codable, Sendable, Equatable {
    /// The probe's name.
    public var probe: String
    /// Tick number k: the run was planned at `k × interval` after the loop start.
    public var tick: Int
    /// Planned start, `k × interval`, in ns since loop start.
    public var plannedNanoseconds: UInt64
    /// Actual start (when the worker began the check, or the tick instant if skipped).
    public var startNanoseconds: UInt64
    /// Probe latency; nil when the tick was skipped and nothing ran.
    public var latencyNanoseconds: UInt64?
    public var ok: Bool
    /// Failure reason; nil when ok.
    public var reason: String?
    /// The loop phase when the tick fired ("pre", "during", "post", or a custom name).
    public var phase: String
    /// Wall-clock time at the actual start.
    public var wallClock: Date

    /// True when the tick was recorded as a failure because the probe was still running.
    public var skipped: Bool { latencyNanoseconds == nil }

    /// Latency in milliseconds, for display.
    public var latencyMilliseconds: Double? { latencyNanoseconds.map { Double($0) / 1e6 } }

    public init(probe: String, tick: Int, plannedNanoseconds: UInt64, startNanoseconds: UInt64,
                latencyNanoseconds: UInt64?, ok: Bool, reason: String?, phase: String, wallClock: Date) {
        self.probe = probe
        self.tick = tick
        self.plannedNanoseconds = plannedNanoseconds
        self.startNanoseconds = startNanoseconds
        self.latencyNanoseconds = latencyNanoseconds
        self.ok = ok
        self.reason = reason
        self.phase = phase
        self.wallClock = wallClock
    }
}
