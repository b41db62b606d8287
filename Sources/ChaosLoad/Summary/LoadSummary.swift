/// How the generator process ended, as the runner saw it.
public struct GeneratorExit: Codable, Sendable, Equatable {
    public var exitCode: Int32?
    public var signal: Int32?
    /// chaosctl stopped it at the end of the run (then it has no exit code of its own).
    public var stoppedByRunner: Bool
    /// When it ended (both clocks).
    public var endedAt: ClockReading?

    enum CodingKeys: String, CodingKey {
        case exitCode = "exit_code", signal, stoppedByRunner = "stopped_by_runner", endedAt = "ended_at"
    }

    public init(exitCode: Int32?, signal: Int32? = nil, stoppedByRunner: Bool = false, endedAt: ClockReading? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.stoppedByRunner = stoppedByRunner
        self.endedAt = endedAt
    }
}

/// journal.json's `load` object: what the load generator measured, cut by phase.
public struct LoadSummary: Codable, Sendable, Equatable {
    public var tool: LoadTool
    /// The file the figures were read from.
    public var source: String
    /// Keyed `pre`, `during`, `post`, then one per step.
    public var phases: [String: LoadPhaseResult]
    /// The phase keys in the order of the run.
    public var phaseOrder: [String]
    public var recoveries: [LoadRecovery]
    /// k6's own thresholds from `--summary-export` (failed = k6 judged it missed).
    public var thresholds: [K6Threshold]
    public var counts: IngestCounts
    public var exit: GeneratorExit?
    public var problems: [LoadProblem]

    enum CodingKeys: String, CodingKey {
        case tool, source, phases, phaseOrder = "phase_order", recoveries, thresholds, counts, exit, problems
    }

    /// Problems that lose data: while any exists, no load result may pass.
    public var blockingProblems: [LoadProblem] { problems.filter { $0.effect == .lostData } }

    /// Whether every phase was measured (no problem lost data, every phase covered).
    public var fullyMeasured: Bool { phases.values.allSatisfy { $0.notMeasured == nil } && recoveries.allSatisfy { $0.notMeasured == nil } }
}
