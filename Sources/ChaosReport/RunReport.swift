import ChaosLoad
import ChaosProbe
import Foundation

/// Everything a chaos run produced, as the report writers render it: the steps that were
/// executed, the probe record, its analysis (per-phase statistics, recoveries, SLO verdicts)
/// and the outcome of the load command, if one ran.
public struct RunReport: Codable, Sendable, Equatable {
    public var title: String
    public var steps: [RunStep]
    public var run: ProbeRun
    public var analysis: RunAnalysis
    public var load: LoadOutcome?
    /// Why the run stopped early; nil when it ran to its end.
    public var abortReason: String?
    /// The seed every random choice of the run followed (`--seed` replays it); nil when the
    /// run made no seeded choice.
    public var seed: UInt64?
    /// More quantities over time for the timeline (a load generator's request rate, error
    /// rate or latency); the probes' own rates are derived from `run` and not stored here.
    public var series: [TimeSeries]?
    /// What the load generator measured, cut by phase (journal.json's top-level `load`).
    public var loadResults: LoadSummary?
    /// The instants the load was cut at, each on both clocks (load start, fault starts and
    /// ends, load end).
    public var loadPlan: LoadPhasePlan?

    // `loadResults` is written once, as journal.json's top-level `load` (JournalWriter).
    enum CodingKeys: String, CodingKey {
        case title, steps, run, analysis, load, abortReason, seed, series, loadPlan
    }

    /// The run's verdict, as every report states it and the CLI exits with it.
    public var verdict: RunVerdict { RunVerdict(self) }

    /// Every check was measured and passed, and the load command (if any) succeeded.
    public var passed: Bool { verdict.result == .passed }

    public init(title: String, steps: [RunStep] = [], run: ProbeRun, analysis: RunAnalysis, load: LoadOutcome? = nil,
                abortReason: String? = nil, seed: UInt64? = nil, series: [TimeSeries]? = nil) {
        self.title = title
        self.steps = steps
        self.run = run
        self.analysis = analysis
        self.load = load
        self.abortReason = abortReason
        self.seed = seed
        self.series = series
    }
}

/// One step of the run ("apply latency 200ms", "kill api-1", "rollback"), timed on the
/// probe loop's clock (ns since loop start).
public struct RunStep: Codable, Sendable, Equatable {
    public var name: String
    public var startNanoseconds: UInt64
    public var endNanoseconds: UInt64?
    public var succeeded: Bool
    /// Error or note; nil when there is nothing to add.
    public var detail: String?

    public init(name: String, startNanoseconds: UInt64, endNanoseconds: UInt64?, succeeded: Bool, detail: String? = nil) {
        self.name = name
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
        self.succeeded = succeeded
        self.detail = detail
    }
}

/// The load generator that ran beside the probes (k6, wrk, hey, a script).
public struct LoadOutcome: Codable, Sendable, Equatable {
    public var command: String
    /// Nil when it was killed or never finished.
    public var exitCode: Int32?
    public var durationSeconds: Double
    /// The tool's own last lines or summary, if captured.
    public var summary: String?
    /// True when chaosctl stopped it at the end of the run: it had not failed until then,
    /// and it has no exit code of its own to report.
    public var stoppedByRunner: Bool?
    /// Exit codes that are the generator's normal way to say its own checks failed (k6 99,
    /// Locust 1): judged by those checks and the load SLOs, not as a failed load command.
    public var signalExitCodes: [Int32]?

    public var succeeded: Bool {
        exitCode == 0 || stoppedByRunner == true || exitCode.map { signalExitCodes?.contains($0) == true } == true
    }

    /// "exit code 0", "stopped by chaosctl at the end of the run" or "did not finish".
    public var ending: String {
        if stoppedByRunner == true { return "stopped by chaosctl at the end of the run" }
        return exitCode.map { "exit code \($0)" } ?? "did not finish"
    }

    public init(command: String, exitCode: Int32?, durationSeconds: Double, summary: String? = nil,
                stoppedByRunner: Bool = false) {
        self.command = command
        self.exitCode = exitCode
        self.durationSeconds = durationSeconds
        self.summary = summary
        self.stoppedByRunner = stoppedByRunner ? true : nil
    }
}
