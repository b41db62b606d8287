import ChaosCore
import ChaosLoad
import ChaosProbe
import ChaosReport
import Foundation

/// Runs an experiment: steady state first (nothing is injected unless it holds), the method
/// with every fault journaled before it is applied and reverted at its end, rollbacks
/// always, the steady state again after them; stop conditions and SIGINT/SIGTERM abort and
/// roll back at once. Writes the reports whatever happens.
public final class ExperimentRunner {
    public struct Options {
        public var reportDirectory: String
        public var progress: ProgressReporter
        public var log: (String) -> Void
        /// The seed the steps' random choices were derived from, recorded in the reports.
        public var seed: UInt64?
        public init(reportDirectory: String, progress: ProgressReporter = ProgressReporter(),
                    log: @escaping (String) -> Void = { _ in }, seed: UInt64? = nil) {
            self.reportDirectory = reportDirectory
            self.progress = progress
            self.log = log
            self.seed = seed
        }
    }

    public struct Result {
        public var outcome: ExperimentOutcome
        public var report: RunReport
        public var files: [String]
    }

    let experiment: Experiment
    let lifecycle: FaultLifecycle
    let options: Options
    private let abort = AbortFlag()
    private var steps: [RunStep] = []
    private var loop: ProbeLoop!
    /// Faults applied without a duration, reverted when the method ends.
    private var untilMethodEnd: [(FaultRecord, String)] = []
    private var loadTracker: LoadTracker?
    private var loadProcess: LoadProcess?

    public init(experiment: Experiment, lifecycle: FaultLifecycle, options: Options) {
        self.experiment = experiment
        self.lifecycle = lifecycle
        self.options = options
    }

    /// The plan, as `--dry-run` prints it. Touches nothing.
    public static func plan(_ e: Experiment) -> String {
        var out = ["Experiment: \(e.title)  (\(e.file))"]
        if !e.description.isEmpty { out.append("  \(e.description)") }
        let s = e.steadyState
        out.append("Steady state: \(s.probes.count) probe(s) every \(DurationParser.format(s.interval)); " +
                   "watch \(DurationParser.format(s.before)) before (tolerance \(String(format: "%.1f%%", s.tolerance * 100)) errors), " +
                   "\(DurationParser.format(s.after)) after; recovered = \(s.healthyAfter) healthy samples in a row")
        for p in s.probes { out.append("  probe \(p.name)") }
        for slo in e.objectives {
            var parts: [String] = []
            if let v = slo.maxErrorRate { parts.append(String(format: "max_error_rate %.2f%%", v * 100)) }
            if let v = slo.p95Milliseconds { parts.append("p95 <= \(v)ms") }
            if let v = slo.p99Milliseconds { parts.append("p99 <= \(v)ms") }
            if let v = slo.recoverWithin { parts.append("recover within \(DurationParser.format(v))") }
            out.append("SLO: " + parts.joined(separator: ", ") + (slo.phases.map { " in \($0.joined(separator: ", "))" } ?? ""))
        }
        if let l = e.load {
            let order = (l.preferred + [l.command]).joined(separator: "\n  else: ")
            out.append("Load: \(order)" + (l.warmup > 0 ? " (warm-up \(DurationParser.format(l.warmup)))" : ""))
        }
        out.append("Method:")
        for (i, step) in e.method.enumerated() { out.append("  \(i + 1). \(step.name): \(step.summary)") }
        if !e.rollbacks.isEmpty {
            out.append("Rollbacks (always run):")
            for (i, step) in e.rollbacks.enumerated() { out.append("  \(i + 1). \(step.name): \(step.summary)") }
        }
        for c in e.stopConditions { out.append("Stop condition: \(c.summary)") }
        return out.joined(separator: "\n")
    }

    public func run() throws -> Result {
        let trap = SignalTrap { [abort] sig in abort.trigger("signal \(sig)") }
        defer { trap.cancel() }
        try ReportWriter.prepare(options.reportDirectory)

        let steady = experiment.steadyState
        if let spec = experiment.load {
            let tracker = LoadTracker(spec: spec, reportDirectory: options.reportDirectory,
                                      searchPath: ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            for note in tracker.notes { log("load: \(note)") }
            log("load: starting \(tracker.command)")
            loadProcess = try LoadProcess(command: tracker.command, logPath: options.reportDirectory + "/load.log",
                                          directory: (experiment.file as NSString).deletingLastPathComponent.isEmpty ? "." : (experiment.file as NSString).deletingLastPathComponent)
            tracker.started()
            loadTracker = tracker
            sleep(spec.warmup, checkStops: false)
        }

        loop = ProbeLoop(probes: steady.probes, interval: steady.interval, phase: "pre")
        loop.start()
        log("pre: checking the steady state for \(DurationParser.format(steady.before))")
        sleep(steady.before, checkStops: false)
        var injected = false
        if abort.reason == nil {
            let pre = PhaseStatistics(phase: "pre", samples: loop.currentPhaseSamples().samples)
            if let rate = pre.errorRate, rate <= steady.tolerance {
                injected = true
                runMethod()
            } else if let rate = pre.errorRate {
                abort.trigger("the steady state did not hold before any fault (error rate \(String(format: "%.1f%%", rate * 100)) > tolerance " +
                              String(format: "%.1f%%", steady.tolerance * 100) + "); nothing was injected")
            } else {
                // No sample is no evidence either way: do not claim the system was unhealthy.
                abort.trigger("the steady state could not be checked: no probe sample finished in the \(DurationParser.format(steady.before)) before any fault; nothing was injected")
            }
        }
        revertUntilMethodEnd()
        runRollbacks()
        if abort.reason == nil || injected {
            loop.setPhase("post")
            log("post: watching recovery for \(DurationParser.format(steady.after))")
            // A signal during `post` cuts it short; faults are already reverted.
            sleep(steady.after, checkStops: false)
        }
        let probeRun = loop.stop()
        options.progress.finish()

        var analysis = RunAnalysis(probeRun, objectives: experiment.objectives, consecutiveHealthy: steady.healthyAfter)
        if injected { analysis.verdicts.append(steadyStateAfter(probeRun)) }
        let loadEnd = ClockReading.now()
        let loopStartWall = loadEnd.wallNanoseconds - Int64(loop.elapsedNanoseconds)
        var loadOutcome = loadProcess?.finish()
        var loadResults: LoadTracker.Results?
        if let tracker = loadTracker, let outcome = loadOutcome {
            loadOutcome?.signalExitCodes = tracker.signalExitCodes.isEmpty ? nil : tracker.signalExitCodes
            loadResults = tracker.finish(outcome: outcome, loadEnd: loadEnd, recovery: recoveryCriteria, loopStartWall: loopStartWall)
            analysis.verdicts += LoadVerdicts.judge(experiment.loadObjectives, summary: loadResults?.summary,
                                                    whyMissing: tracker.notes.last)
        }
        // An aborted run has little or nothing after its rollback: say why data is missing.
        if let why = abort.reason { analysis.explainNotMeasured("the run was aborted: \(why)") }
        var report = RunReport(title: experiment.title, steps: steps, run: probeRun, analysis: analysis, load: loadOutcome,
                               abortReason: abort.reason, seed: options.seed, series: loadResults?.series)
        report.loadResults = loadResults?.summary
        report.loadPlan = loadResults?.plan
        let files = try ReportWriter.write(report, to: options.reportDirectory)
        return Result(outcome: ExperimentOutcome(report.verdict), report: report, files: files)
    }

    // MARK: method

    private func runMethod() {
        loop.setPhase("during")
        log("during: \(experiment.method.count) step(s)")
        for step in experiment.method {
            if abort.reason != nil { break }
            perform(step, phase: "method")
        }
    }

    private func perform(_ step: PlannedStep, phase: String) {
        let start = loop.elapsedNanoseconds
        log("\(phase): \(step.name): \(step.summary)")
        do {
            switch step.action {
            case .wait(let seconds):
                sleep(seconds, checkStops: phase == "method")
            case .oneShot(_, let perform):
                // Recovery is timed from the action itself, not from whatever waiting it does after.
                loop.markOneShot(step.name)
                loadTracker?.oneShot(step.name)
                let detail = try perform(environment)
                if !detail.isEmpty { log("  \(detail.replacingOccurrences(of: "\n", with: "\n  "))") }
            case .selfReverting(_, let perform):
                markFaultStart(step.name)
                defer { markFaultEnd(step.name) }
                let detail = try perform(environment)
                if !detail.isEmpty { log("  \(detail.replacingOccurrences(of: "\n", with: "\n  "))") }
            case .fault(let fault, let duration):
                let record = try lifecycle.apply(fault, held: true, expiresAt: duration.map { Date().addingTimeInterval($0) })
                markFaultStart(step.name)
                guard let duration else {
                    untilMethodEnd.append((record, step.name))
                    steps.append(RunStep(name: step.name, startNanoseconds: start, endNanoseconds: nil, succeeded: true,
                                         detail: "held until the method ends"))
                    return
                }
                sleep(duration, checkStops: phase == "method")
                try lifecycle.revert(record)
                markFaultEnd(step.name)
            }
            steps.append(RunStep(name: step.name, startNanoseconds: start, endNanoseconds: loop.elapsedNanoseconds, succeeded: true))
        } catch {
            steps.append(RunStep(name: step.name, startNanoseconds: start, endNanoseconds: loop.elapsedNanoseconds,
                                 succeeded: false, detail: "\(error)"))
            log("\(phase): \(step.name) failed: \(error)")
            if phase == "method" { abort.trigger("step '\(step.name)' failed: \(error)") }
            // Whatever this step held is still in the lifecycle: revert it now, not later.
            revertHeldNow()
        }
    }

    /// A fault's start and end go to the probe loop and, on both clocks, to the load tracker.
    private func markFaultStart(_ name: String) {
        loop.markFaultStart(name)
        loadTracker?.faultStarted(name)
    }

    private func markFaultEnd(_ name: String) {
        loop.markFaultEnd(name)
        loadTracker?.faultEnded(name)
    }

    /// Recovery on user traffic: judged with the first load SLO's limits that has recover_within.
    private var recoveryCriteria: RecoveryCriteria {
        let spec = experiment.load
        let objective = experiment.loadObjectives.first { $0.recoverWithin != nil }
        return RecoveryCriteria(windowSeconds: spec?.recoveryWindowSeconds ?? 1, consecutiveWindows: spec?.recoveryWindows ?? 3,
                                maxErrorRate: objective?.maxErrorRate ?? 0.01, maxP95Milliseconds: objective?.p95Milliseconds)
    }

    private func revertUntilMethodEnd() {
        for (record, name) in untilMethodEnd.reversed() {
            let start = loop.elapsedNanoseconds
            do { try lifecycle.revert(record); markFaultEnd(name) }
            catch { revertFailed("revert \(name)", since: start, error) }
        }
        untilMethodEnd.removeAll()
        revertHeldNow()
    }

    private func revertHeldNow() {
        let start = loop.elapsedNanoseconds
        for (record, error) in lifecycle.revertHeld() {
            revertFailed("revert \(FaultText.what(kind: record.kind, target: record.target))", since: start, error)
        }
    }

    /// A fault still applied must show in the reports (and fail the run), not only in the log.
    private func revertFailed(_ name: String, since start: UInt64, _ error: Error) {
        log("could not \(name): \(error) (it stays journaled; run `chaosctl recover`)")
        steps.append(RunStep(name: name, startNanoseconds: start, endNanoseconds: loop.elapsedNanoseconds, succeeded: false,
                             detail: "\(error) (it stays journaled; run `chaosctl recover`)"))
    }

    private func runRollbacks() {
        guard !experiment.rollbacks.isEmpty else { return }
        if abort.reason != nil { log("rolling back: \(abort.reason!)") }
        for step in experiment.rollbacks { perform(step, phase: "rollback") }
        revertHeldNow()
    }

    // MARK: waiting, stop conditions

    /// Sleep up to `seconds`, waking early on abort; in the method, check stop conditions
    /// every probe interval and show progress.
    private func sleep(_ seconds: Double, checkStops: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        let slice = min(max(experiment.steadyState.interval, 0.05), 0.25)
        while abort.reason == nil {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { break }
            abort.wait(min(slice, left))
            loadTracker?.poll(generatorRunning: loadProcess?.isRunning ?? false)
            if let loop {
                var status = ProgressReporter.Status(of: loop)
                status.load = loadTracker?.statusText
                options.progress.update(status)
            }
            if checkStops, let why = stopConditionFired() { abort.trigger(why) }
        }
    }

    private func stopConditionFired() -> String? {
        guard !experiment.stopConditions.isEmpty else { return nil }
        let current = loop.currentPhaseSamples()
        guard let last = current.samples.map(\.startNanoseconds).max(), let first = current.samples.map(\.startNanoseconds).min() else { return nil }
        for condition in experiment.stopConditions where condition.onLoad {
            guard let limit = condition.maxErrorRate, let recent = loadTracker?.recent(seconds: Int(condition.window.rounded())),
                  recent.requests > 0, let rate = recent.errorRate, rate > limit else { continue }
            return "stop condition: load error rate \(String(format: "%.1f%%", rate * 100)) over the last \(DurationParser.format(condition.window)) exceeds \(String(format: "%.1f%%", limit * 100))"
        }
        for condition in experiment.stopConditions where !condition.onLoad {
            let window = UInt64(condition.window * 1e9)
            // Judge only once the phase has lasted a whole window.
            guard last - first >= window else { continue }
            let recent = current.samples.filter { $0.startNanoseconds + window >= last }
            let stats = PhaseStatistics(phase: current.phase, samples: recent)
            if let limit = condition.maxErrorRate, let rate = stats.errorRate, rate > limit {
                return "stop condition: error rate \(String(format: "%.1f%%", rate * 100)) over the last \(DurationParser.format(condition.window)) exceeds \(String(format: "%.1f%%", limit * 100))"
            }
            if let limit = condition.p95Milliseconds, let p95 = stats.latency?.p95Milliseconds, p95 > limit {
                return "stop condition: p95 \(String(format: "%.1fms", p95)) over the last \(DurationParser.format(condition.window)) exceeds \(String(format: "%.0fms", limit))"
            }
        }
        return nil
    }

    /// After rollbacks, every probe's last `healthyAfter` samples must be healthy. A probe
    /// with fewer post samples than that (a run cut short) is not measured, not unhealthy.
    private func steadyStateAfter(_ run: ProbeRun) -> SLOVerdict {
        let n = experiment.steadyState.healthyAfter
        var unhealthy: [String] = []
        var short: [String] = []
        for probe in run.probeNames {
            let tail = run.samples.filter { $0.probe == probe && $0.phase == "post" }.suffix(n)
            if !tail.allSatisfy(\.ok) { unhealthy.append(probe) } else if tail.count < n { short.append("\(probe) (\(tail.count))") }
        }
        if unhealthy.isEmpty && !short.isEmpty {
            return .notMeasured(objective: "steady_state_after", phase: "post", fault: nil, limit: 0, unit: "probes",
                                why: "fewer than \(n) samples after the rollbacks: \(short.joined(separator: ", "))")
        }
        let passed = unhealthy.isEmpty
        return SLOVerdict(objective: "steady_state_after", phase: "post", fault: nil, measured: Double(unhealthy.count),
                          limit: 0, unit: "probes", passed: passed,
                          detail: passed ? "every probe's last \(n) samples after the rollbacks were healthy"
                                         : "not healthy at the end: \(unhealthy.joined(separator: ", "))")
    }

    private func log(_ message: String) { options.progress.log(message) }

    /// What a one-shot or self-reverting step may use while it runs: its lines go to the
    /// run's log (never stdout), its faults into the run's lifecycle.
    private var environment: StepEnvironment {
        StepEnvironment(lifecycle: lifecycle) { [weak self] line in self?.log("  \(line)") }
    }
}

/// Set once by a signal, a stop condition or a failed step; wakes any wait.
// @unchecked Sendable: `why` is guarded by `lock`; `wake` is a semaphore.
final class AbortFlag: @unchecked Sendable {
    private let lock = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    private var why: String?
    var reason: String? { lock.lock(); defer { lock.unlock() }; return why }
    func trigger(_ reason: String) {
        lock.lock()
        let first = why == nil
        if first { why = reason }
        lock.unlock()
        if first { wake.signal() }
    }
    func wait(_ seconds: Double) {
        if wake.wait(timeout: .now() + seconds) == .success { wake.signal() }
    }
}
