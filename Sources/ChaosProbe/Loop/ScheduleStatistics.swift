/// How closely the loop kept its schedule: lateness of each tick = actual wake-up minus the
/// planned instant (start + k × interval). Used by the benchmark and shown in reports.
public struct ScheduleStatistics: Codable, Sendable, Equatable {
    /// Ticks fired so far.
    public var ticks: Int
    /// Ticks not fired because the scheduler woke more than one interval late; they have
    /// no samples.
    public var missedTicks: Int
    public var maxLatenessNanoseconds: UInt64
    public var totalLatenessNanoseconds: UInt64
    /// Whether the scheduler thread got SCHED_FIFO; nil when it was not asked for.
    public var realtime: Bool?

    public var meanLatenessNanoseconds: Double {
        ticks == 0 ? 0 : Double(totalLatenessNanoseconds) / Double(ticks)
    }

    public init(ticks: Int = 0, missedTicks: Int = 0, maxLatenessNanoseconds: UInt64 = 0, totalLatenessNanoseconds: UInt64 = 0) {
        self.ticks = ticks
        self.missedTicks = missedTicks
        self.maxLatenessNanoseconds = maxLatenessNanoseconds
        self.totalLatenessNanoseconds = totalLatenessNanoseconds
    }
}
