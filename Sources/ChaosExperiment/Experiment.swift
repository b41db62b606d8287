import ChaosCore
import ChaosLoad
import ChaosProbe

/// An experiment file, validated: what to watch, the limits, what to break and how to undo it.
public struct Experiment {
    public var file: String
    public var title: String
    public var description: String
    public var steadyState: SteadyState
    public var objectives: [ServiceLevelObjectives]
    public var load: LoadSpec?
    public var method: [PlannedStep]
    public var rollbacks: [PlannedStep]
    public var stopConditions: [StopCondition]
    /// SLOs on the load generator's own results (`slo` entries with `source: load`).
    public var loadObjectives: [LoadObjective] = []
}

/// The steady-state probes and how they are run.
public struct SteadyState {
    public var probes: [Probe]
    /// Seconds between probe ticks.
    public var interval: Double
    /// Consecutive healthy samples that count as "recovered".
    public var healthyAfter: Int
    /// How long to watch before any fault; the steady state must hold over this window.
    public var before: Double
    /// How long to keep watching after the method and rollbacks.
    public var after: Double
    /// Highest error rate in the "before" window that still counts as steady.
    public var tolerance: Double
}

/// A background load generator (k6, wrk, Locust, any command).
public struct LoadSpec {
    /// What runs when none of `preferred` is installed.
    public var command: String
    /// Generator command lines tried first (`load.prefer`): the first whose program is on
    /// PATH runs instead of `command` (docs/experiments.md).
    public var preferred: [String] = []
    /// Seconds to let the load warm up before the steady-state window starts.
    public var warmup: Double
    /// A home-grown runner's per-request JSONL log and its field mapping (`load.results`);
    /// nil: the results are found from the command (`k6 run`, `locust`), if it is one.
    public var results: JSONLResults?
    /// How recovery on user traffic is judged (`load.recovery`).
    public var recoveryWindowSeconds: Double
    public var recoveryWindows: Int

    public init(command: String, warmup: Double = 0, results: JSONLResults? = nil,
                recoveryWindowSeconds: Double = 1, recoveryWindows: Int = 3) {
        self.command = command
        self.warmup = warmup
        self.results = results
        self.recoveryWindowSeconds = recoveryWindowSeconds
        self.recoveryWindows = recoveryWindows
    }
}

/// A per-request JSONL log a load command writes, and which fields hold what.
public struct JSONLResults {
    /// Absolute, or relative to the experiment file's folder.
    public var path: String
    public var mapping: JSONLFieldMapping
}

/// One step of the method or the rollbacks, ready to run.
public struct PlannedStep {
    public enum Action {
        /// Apply a fault, hold it for `duration` (nil: until the end of the method), then revert.
        case fault(Fault, duration: Double?)
        /// Do nothing for a while (let the system settle, or observe).
        case wait(Double)
        /// A one-shot action (kill, delete, a command): nothing to revert; recovery is timed
        /// from the moment it starts.
        case oneShot(summary: String, perform: (StepEnvironment) throws -> String)
        /// A fault that applies, holds and reverts itself inside `perform` (with its own
        /// journal entry, so `recover` still covers a crash); the fault window is the call.
        case selfReverting(summary: String, perform: (StepEnvironment) throws -> String)
    }
    public var name: String
    public var line: Int?
    public var action: Action

    public var summary: String {
        switch action {
        case .fault(let f, let d):
            return "\(FaultText.what(kind: f.kind, target: f.target)): \(f.summary)" + (d.map { " for \(DurationParser.format($0))" } ?? " until the method ends")
        case .wait(let s): return "wait \(DurationParser.format(s))"
        case .oneShot(let summary, _), .selfReverting(let summary, _): return summary
        }
    }
}

/// Abort the run (and roll back at once) when the system degrades past a limit for a while.
public struct StopCondition {
    /// `load`: judged on the load generator's results as they are written, not the probes.
    public var onLoad = false
    public var maxErrorRate: Double?
    public var p95Milliseconds: Double?
    /// The window the limit is measured over, and how long it must be exceeded.
    public var window: Double

    public var summary: String {
        var parts: [String] = []
        if let e = maxErrorRate { parts.append(String(format: "error rate > %.1f%%", e * 100)) }
        if let p = p95Milliseconds { parts.append(String(format: "p95 > %.0fms", p)) }
        return (onLoad ? "load " : "") + parts.joined(separator: " or ") + " over \(DurationParser.format(window))"
    }
}
