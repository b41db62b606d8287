import ChaosLoad
import ChaosProbe
import Foundation

/// Judges the `source: load` SLOs and k6's own thresholds against the load summary. Any
/// problem that lost data makes every load check "not measured" with that problem as the
/// reason: a load result with missing data never passes.
enum LoadVerdicts {
    static func judge(_ objectives: [LoadObjective], summary: LoadSummary?, whyMissing: String?) -> [SLOVerdict] {
        var verdicts: [SLOVerdict] = []
        let blocked = summary.flatMap { $0.blockingProblems.first.map(\.description) } ?? (summary == nil ? whyMissing ?? "no load results were read" : nil)
        for objective in objectives {
            let scope = objective.requestName.map { " for '\($0)'" } ?? ""
            // With recover_within, the limits say what a healthy recovery window is, not a phase limit.
            let phases = objective.recoverWithin == nil ? objective.phases ?? ExperimentPhase.names : []
            for phase in phases {
                let result = summary?.phases[phase]
                let figures = objective.requestName.map { result?.names?[$0] } ?? result
                func check(_ key: String, _ limit: Double?, unit: String, _ value: (LoadPhaseResult) -> Double?) {
                    guard let limit else { return }
                    let objectiveName = "load." + key + (objective.requestName.map { "{\($0)}" } ?? "")
                    let why: String? = blocked ?? result?.notMeasured
                        ?? (result == nil ? "no load phase '\(phase)' in this run" : nil)
                        ?? (figures == nil ? "no request named '\(objective.requestName ?? "")' in '\(phase)'" : nil)
                        ?? (figures.flatMap(value) == nil ? "no judged request in '\(phase)'\(scope)" : nil)
                    if let why {
                        verdicts.append(.notMeasured(objective: objectiveName, phase: phase, fault: nil, limit: limit, unit: unit, why: why))
                        return
                    }
                    let measured = value(figures!)!
                    let passed = measured <= limit
                    verdicts.append(SLOVerdict(objective: objectiveName, phase: phase, fault: nil, measured: measured, limit: limit,
                                               unit: unit, passed: passed,
                                               detail: "load \(key) \(show(measured, unit)) \(passed ? "<=" : ">") \(show(limit, unit)) in \(phase)\(scope)"))
                }
                check("max_error_rate", objective.maxErrorRate, unit: "ratio") { $0.errorRate }
                check("p95_ms", objective.p95Milliseconds, unit: "ms") { $0.p95Milliseconds }
                check("p99_ms", objective.p99Milliseconds, unit: "ms") { $0.p99Milliseconds }
            }
            if let limit = objective.recoverWithin {
                verdicts += recoveries(summary, limit: limit, blocked: blocked)
            }
        }
        for threshold in summary?.thresholds ?? [] {
            verdicts.append(SLOVerdict(objective: "k6.threshold{\(threshold.metric): \(threshold.expression)}", phase: nil, fault: nil,
                                       measured: threshold.failed ? 1 : 0, limit: 0, unit: "failed", passed: !threshold.failed,
                                       detail: "k6 threshold \(threshold.metric) '\(threshold.expression)' \(threshold.failed ? "failed" : "held")"))
        }
        return verdicts
    }

    private static func recoveries(_ summary: LoadSummary?, limit: Double, blocked: String?) -> [SLOVerdict] {
        guard let summary, !summary.recoveries.isEmpty else {
            return [.notMeasured(objective: "load.recover_within", phase: nil, fault: nil, limit: limit, unit: "s",
                                 why: blocked ?? "no fault ended while the load ran")]
        }
        return summary.recoveries.map { recovery in
            if let why = blocked ?? recovery.notMeasured {
                return .notMeasured(objective: "load.recover_within", phase: nil, fault: recovery.fault, limit: limit, unit: "s", why: why)
            }
            guard let seconds = recovery.recoverySeconds else {
                return SLOVerdict(objective: "load.recover_within", phase: nil, fault: recovery.fault, measured: nil, limit: limit,
                                  unit: "s", passed: false, detail: "user traffic after '\(recovery.fault)': \(recovery.summary)")
            }
            let passed = seconds <= limit
            return SLOVerdict(objective: "load.recover_within", phase: nil, fault: recovery.fault, measured: seconds, limit: limit,
                              unit: "s", passed: passed,
                              detail: "user traffic recovered \(show(seconds, "s")) after '\(recovery.fault)' ended (\(passed ? "<=" : ">") \(show(limit, "s")))")
        }
    }

    private static func show(_ value: Double, _ unit: String) -> String {
        switch unit {
        case "ratio": return String(format: "%.2f%%", value * 100)
        case "ms": return String(format: "%.1fms", value)
        default: return String(format: "%.2fs", value)
        }
    }
}
