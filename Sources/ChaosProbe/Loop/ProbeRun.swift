import Foundation

/// Everything a probe loop recorded: the input to statistics, recovery analysis and reports.
public struct ProbeRun: Codable, Sendable, Equatable {
    /// Probe period in ns.
    public var intervalNanoseconds: UInt64
    /// Wall-clock time of the loop start (time 0 of every sample and event).
    public var startedAt: Date
    /// Monotonic ns from start to the moment the record was taken.
    public var durationNanoseconds: UInt64
    /// Every sample, ordered by start time.
    public var samples: [ProbeSample]
    /// Phase changes and fault marks, in order.
    public var events: [LoopEvent]
    /// How well the loop kept its schedule (missed ticks left gaps in `samples`).
    public var schedule: ScheduleStatistics

    public init(intervalNanoseconds: UInt64, startedAt: Date, durationNanoseconds: UInt64,
                samples: [ProbeSample], events: [LoopEvent], schedule: ScheduleStatistics = ScheduleStatistics()) {
        self.intervalNanoseconds = intervalNanoseconds
        self.startedAt = startedAt
        self.durationNanoseconds = durationNanoseconds
        self.samples = samples
        self.events = events
        self.schedule = schedule
    }

    /// Probe names in the order they first appear.
    public var probeNames: [String] {
        var seen = Set<String>()
        return samples.map(\.probe).filter { seen.insert($0).inserted }
    }

    /// Phase names in the order they were entered (phases from events, then any others seen in samples).
    public var phaseNames: [String] {
        var seen = Set<String>()
        let fromEvents = events.filter { $0.kind == .phase }.map(\.label)
        return (fromEvents + samples.map(\.phase)).filter { seen.insert($0).inserted }
    }
}
