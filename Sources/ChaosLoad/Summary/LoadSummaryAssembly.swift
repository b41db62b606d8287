import ChaosCore

/// The steps every source shares once its figures are cut: problems from the clocks and the
/// generator's exit, coverage of each phase, deltas against `pre`, and "not measured" wherever
/// the data cannot decide a verdict.
struct LoadSummaryAssembly {
    var tool: LoadTool
    var source: String
    var plan: LoadPhasePlan
    var options: LoadAnalysisOptions
    /// Per plan phase: its figures and the first/last traffic seen in it (wall ns).
    var results: [LoadPhaseResult]
    var traffic: [(first: Int64?, last: Int64?)]
    var recoveries: [LoadRecovery]
    var thresholds: [K6Threshold] = []
    var counts: IngestCounts
    var exit: GeneratorExit?
    var problems: [LoadProblem]

    func summary() -> LoadSummary {
        var problems = self.problems
        if let moved = ClockAgreement.wallClockMoved(plan, tolerance: options.clockToleranceSeconds) {
            problems.append(LoadProblem(source: source, message: moved))
        }
        problems += exitProblems()
        let blocking = problems.filter { $0.effect == .lostData }
        let blockingText = blocking.isEmpty ? nil : blocking.map(\.description).joined(separator: "; ")
        var phases: [String: LoadPhaseResult] = [:]
        for (index, phase) in plan.phases.enumerated() {
            var result = results[index]
            result.notMeasured = blockingText ?? coverageGap(phase, result: result, traffic: traffic[index])
            phases[phase.name] = result
        }
        if let pre = phases["pre"] {
            for name in phases.keys where name != "pre" {
                phases[name]!.delta = LoadDelta(phases[name]!, against: pre)
            }
        }
        var recoveries = self.recoveries
        if let blockingText {
            for i in recoveries.indices where recoveries[i].notMeasured == nil {
                recoveries[i].recoverySeconds = nil
                recoveries[i].notMeasured = blockingText
            }
        }
        return LoadSummary(tool: tool, source: source, phases: phases, phaseOrder: plan.phases.map(\.name),
                           recoveries: recoveries, thresholds: thresholds, counts: counts, exit: exit, problems: problems)
    }

    /// Why a phase's traffic does not cover it: none at all, or a gap at its start or end
    /// longer than the slack (a generator that started late or ended early).
    private func coverageGap(_ phase: LoadPhase, result: LoadPhaseResult, traffic: (first: Int64?, last: Int64?)) -> String? {
        guard result.requests > 0, let first = traffic.first, let last = traffic.last else {
            return "no request in this phase (\(DurationParser.format(max(0, phase.seconds))) long)"
        }
        let slack = options.coverageSlackSeconds
        let lateStart = Double(first - phase.start.wallNanoseconds) / 1e9
        let earlyEnd = Double(phase.end.wallNanoseconds - last) / 1e9
        if earlyEnd > slack {
            return "traffic stopped \(DurationParser.format(earlyEnd)) before this phase ended (the generator ended or stalled)"
        }
        if lateStart > slack {
            return "traffic began \(DurationParser.format(lateStart)) after this phase started"
        }
        if result.errorRate == nil {
            return "none of its \(result.requests) requests says whether it succeeded"
        }
        return nil
    }

    private func exitProblems() -> [LoadProblem] {
        guard let exit else { return [] }
        var found: [LoadProblem] = []
        let who = tool.rawValue
        if let code = exit.exitCode, code != 0 {
            switch (tool, code) {
            case (.k6, 99):
                found.append(LoadProblem(source: source, message: "k6 exited 99: some of its thresholds failed", effect: .note))
            case (.locust, 1):
                found.append(LoadProblem(source: source, message:
                    "locust exited 1: it saw failed requests (its default --exit-code-on-error)", effect: .note))
            default:
                found.append(LoadProblem(source: source, message: "\(who) exited with code \(code): its output may be incomplete"))
            }
        }
        if let signal = exit.signal, !exit.stoppedByRunner {
            found.append(LoadProblem(source: source, message: "\(who) was ended by signal \(signal) before the run ended"))
        }
        if !exit.stoppedByRunner, let ended = exit.endedAt {
            let early = plan.loadStart.seconds(to: plan.loadEnd) - plan.loadStart.seconds(to: ended)
            if early > options.coverageSlackSeconds {
                found.append(LoadProblem(source: source, message:
                    "\(who) ended \(DurationParser.format(early)) before the load was due to stop: later phases have no traffic"))
            }
        }
        return found
    }
}

extension PhaseAccumulator {
    /// The figures so far as journal.json's `load` object. `problems` and `counts` come from
    /// the reader; `exit` from the runner.
    public func summary(tool: LoadTool, source: String, counts: IngestCounts, problems: [LoadProblem],
                        thresholds: [K6Threshold] = [], exit: GeneratorExit? = nil) -> LoadSummary {
        var problems = problems
        if let outsideText = outside.problem(total: total, plan: plan, tolerance: options.clockToleranceSeconds) {
            problems.append(LoadProblem(source: source, message: outsideText))
        }
        for (index, overflow) in namesOverflowed.enumerated() where overflow > 0 {
            problems.append(LoadProblem(source: source, message:
                "phase '\(plan.phases[index].name)': \(overflow) requests had names beyond the first " +
                "\(options.maxNamesPerPhase) and are only in the phase's totals", effect: .note))
        }
        let results = plan.phases.indices.map { index -> LoadPhaseResult in
            var result = LoadPhaseResult(phases[index], seconds: plan.phases[index].seconds)
            if !names[index].isEmpty {
                result.names = names[index].mapValues { LoadPhaseResult($0, seconds: plan.phases[index].seconds) }
            }
            return result
        }
        let recoveries = windows.map {
            LoadRecovery.find(fault: $0.fault, windows: $0.traffic, criteria: options.recovery)
        }
        return LoadSummaryAssembly(tool: tool, source: source, plan: plan, options: options, results: results,
                                   traffic: phases.map { ($0.firstWall, $0.lastWall) }, recoveries: recoveries,
                                   thresholds: thresholds, counts: counts, exit: exit, problems: problems).summary()
    }
}
