/// Statistics, recoveries and verdicts of one probe run, computed together so reports and
/// the CLI agree on every number.
public struct RunAnalysis: Codable, Sendable, Equatable {
    public var phases: [PhaseStatistics]
    public var overall: PhaseStatistics
    public var recoveries: [RecoveryMeasurement]
    public var verdicts: [SLOVerdict]

    /// True when every verdict passed (an unmeasured one did not).
    public var passed: Bool { verdicts.allSatisfy(\.passed) }

    /// Say why the unmeasured recoveries and verdicts had no data ("the run was aborted: signal 2").
    public mutating func explainNotMeasured(_ cause: String) {
        for i in recoveries.indices { recoveries[i].explainNotMeasured(cause) }
        for i in verdicts.indices { verdicts[i].explainNotMeasured(cause) }
    }

    public init(_ run: ProbeRun, objectives: [ServiceLevelObjectives] = [], consecutiveHealthy: Int = 3) {
        phases = PhaseStatistics.byPhase(run)
        overall = PhaseStatistics.overall(run)
        recoveries = RecoveryAnalyzer.measure(run, consecutiveHealthy: consecutiveHealthy)
        verdicts = SLOEvaluator.evaluate(objectives, phases: phases, recoveries: recoveries)
    }

    /// Statistics of the named phase, if it occurred.
    public func phase(_ name: String) -> PhaseStatistics? { phases.first { $0.phase == name } }
}
