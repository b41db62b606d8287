import ChaosLoad
import ChaosReport
import Foundation

/// Follows a run's load generator: finds where its results go (adding k6's or Locust's output
/// options into the report folder unless the user gave them), records every phase instant on
/// both clocks, tails the results while the run goes on (status line, stop conditions) and
/// cuts them by the real fault instants at the end (docs/load-results.md).
final class LoadTracker {
    enum Source {
        case k6(results: String, summary: String?)
        case locust(history: String)
        case jsonl(path: String, mapping: JSONLFieldMapping)
    }

    /// The command to run: the user's, with the output options chaosctl added.
    let command: String
    /// Nil: the command is not a generator chaosctl knows and no `results` were named.
    let source: Source?
    /// What chaosctl did to the command, or why it could not read the results.
    private(set) var notes: [String] = []
    /// Exit codes that are the generator's normal signal, not a failure of the load:
    /// k6 99 (a threshold failed, carried as its own check), Locust 1 (it saw failures).
    let signalExitCodes: [Int32]

    private var loadStart: ClockReading?
    private var faults: [(name: String, start: ClockReading, end: ClockReading?)] = []
    private var endedAt: ClockReading?
    private var live = LiveLoadWindow(seconds: 60)
    private var liveReader: GeneratorOutputReader?
    private var locustLive: LocustHistoryReader?

    init(spec: LoadSpec, reportDirectory: String, searchPath: String) {
        let choice = LoadCommandChoice(spec: spec, searchPath: searchPath)
        notes = choice.notes
        if let results = spec.results, choice.isFallback {
            command = choice.command
            source = .jsonl(path: results.path, mapping: results.mapping)
            signalExitCodes = []
            return
        }
        // Absolute: the generator runs in the experiment's folder, not in chaosctl's.
        let folder = reportDirectory.hasPrefix("/") ? reportDirectory
            : FileManager.default.currentDirectoryPath + "/" + reportDirectory
        guard let words = ShellWords.split(choice.command),
              let prepared = GeneratorCommand.prepare(words, reportDirectory: folder) else {
            command = choice.command
            source = nil
            signalExitCodes = []
            if ShellWords.split(choice.command) == nil, choice.command.contains("k6 ") || choice.command.contains("locust") {
                notes.append("the load command is not a plain `k6 run …` or `locust …` command line (pipes, variables or " +
                             "several commands), so chaosctl did not add output options or read its results")
            }
            return
        }
        // `exec`: the shell becomes the generator, so its exit code and signals are the generator's own.
        command = "exec " + ShellWords.join(prepared.argv)
        if !prepared.added.isEmpty { notes.append("chaosctl added \(ShellWords.join(prepared.added))") }
        if let problem = prepared.problem { notes.append(problem) }
        switch prepared.tool {
        case .k6:
            source = prepared.problem == nil ? .k6(results: prepared.resultsPath, summary: prepared.summaryPath) : nil
            signalExitCodes = [99]
        case .locust:
            source = .locust(history: prepared.resultsPath)
            signalExitCodes = [1]
        case .jsonl:
            source = nil
            signalExitCodes = []
        }
    }

    var tool: LoadTool? {
        switch source {
        case .k6: return .k6
        case .locust: return .locust
        case .jsonl: return .jsonl
        case nil: return nil
        }
    }

    // MARK: instants

    func started() {
        loadStart = ClockReading.now()
        switch source {
        case .k6(let results, _): liveReader = K6OutputReader(path: results)
        case .jsonl(let path, let mapping): liveReader = JSONLRequestReader(path: path, mapping: mapping)
        case .locust(let history): locustLive = LocustHistoryReader(path: history)
        case nil: break
        }
    }

    func faultStarted(_ name: String) { faults.append((name, ClockReading.now(), nil)) }

    func faultEnded(_ name: String) {
        guard let open = faults.lastIndex(where: { $0.name == name && $0.end == nil }) else { return }
        faults[open].end = ClockReading.now()
    }

    /// A one-shot action (kill, delete): recovery is timed from that instant.
    func oneShot(_ name: String) {
        let now = ClockReading.now()
        faults.append((name, now, now))
    }

    // MARK: live

    /// Reads what the generator wrote since the last call; notes when it has ended.
    func poll(generatorRunning: Bool) {
        if !generatorRunning && endedAt == nil { endedAt = ClockReading.now() }
        liveReader?.poll(into: &live)
        locustLive?.poll()
    }

    /// Requests, request rate and error rate over the last `seconds` whole seconds, once the
    /// generator has written that many; nil before.
    func recent(seconds: Int) -> (requests: Int, requestRate: Double, errorRate: Double?)? {
        if let locust = locustLive { return Self.locustRecent(locust.rows, seconds: seconds) }
        guard let newest = live.newestSecond, let start = loadStart,
              newest - start.wallNanoseconds / 1_000_000_000 > Int64(seconds) else { return nil }
        return live.recent(seconds: seconds)
    }

    /// Locust's rows hold running totals: the change between the newest aggregate row and the
    /// one `seconds` before it.
    private static func locustRecent(_ rows: [LocustHistoryRow], seconds: Int) -> (requests: Int, requestRate: Double, errorRate: Double?)? {
        let totals = rows.filter(\.isAggregate)
        guard let last = totals.last, let first = totals.last(where: { $0.timestamp <= last.timestamp - Int64(seconds) }) else {
            return nil
        }
        let requests = last.totalRequests - first.totalRequests
        let failures = last.totalFailures - first.totalFailures
        let span = Double(max(1, last.timestamp - first.timestamp))
        return (requests, Double(requests) / span, requests > 0 ? Double(failures) / Double(requests) : nil)
    }

    /// "load 212 req/s, 0.5% errors" for the status line.
    var statusText: String? {
        guard let tool, let figures = recent(seconds: 5) else { return nil }
        let errors = figures.errorRate.map { String(format: "%.1f%% errors", $0 * 100) } ?? "errors –"
        return String(format: "%@ %.0f req/s, %@", tool.rawValue, figures.requestRate, errors)
    }

    // MARK: the end

    struct Results {
        var summary: LoadSummary
        var plan: LoadPhasePlan
        var series: [TimeSeries]
    }

    /// Reads the results whole and cuts them by the run's instants. `loopStart` is the wall
    /// instant of the probe loop's time 0, where the report's timeline starts.
    func finish(outcome: LoadOutcome, loadEnd: ClockReading, recovery: RecoveryCriteria, loopStartWall: Int64) -> Results? {
        guard let source, let loadStart else { return nil }
        let generatorEnd = endedAt.map { $0.monotonicNanoseconds < loadEnd.monotonicNanoseconds ? $0 : loadEnd } ?? loadEnd
        let windows = faults.map { FaultWindow(name: $0.name, start: $0.start, end: $0.end ?? loadEnd) }
        let plan = LoadPhasePlan.standard(loadStart: loadStart, loadEnd: loadEnd, faults: windows)
        var options = LoadAnalysisOptions()
        options.recovery = recovery
        let exit = GeneratorExit(exitCode: outcome.exitCode, stoppedByRunner: outcome.stoppedByRunner == true,
                                 endedAt: outcome.stoppedByRunner == true ? loadEnd : generatorEnd)
        var summary: LoadSummary
        var timeline = LoadTimeline(from: loadStart, to: loadEnd)
        switch source {
        case .k6(let results, let summaryPath):
            summary = LoadResults.k6(resultsPath: results, summaryPath: summaryPath, plan: plan, options: options, exit: exit)
            K6OutputReader(path: results).finish(into: &timeline)
        case .jsonl(let path, let mapping):
            summary = LoadResults.jsonl(path: path, mapping: mapping, plan: plan, options: options, exit: exit)
            JSONLRequestReader(path: path, mapping: mapping).finish(into: &timeline)
        case .locust(let history):
            summary = LoadResults.locust(historyPath: history, plan: plan, options: options, exit: exit)
        }
        for note in notes { summary.problems.insert(LoadProblem(source: "load", message: note, effect: .note), at: 0) }
        let series: [TimeSeries]
        if case .locust(let history) = source {
            let reader = LocustHistoryReader(path: history)
            reader.finish()
            series = LoadSeries.locust(reader.rows, tool: "locust", loopStartWall: loopStartWall)
        } else {
            series = LoadSeries.buckets(timeline.buckets, tool: summary.tool.rawValue, loopStartWall: loopStartWall)
        }
        return Results(summary: summary, plan: plan, series: series)
    }
}
