import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

/// Shared body of the action subcommands: select, act (once or repeatedly), print.
enum ContainerRunner {
    static func execute(_ action: @autoclosure () throws -> ContainerAction, _ select: ContainerSelectionOptions,
                        _ run: ContainerRunOptions, _ state: StateOptions) throws {
        try Failures.reporting {
            try select.check()
            try run.check()
            try perform(try action(), select, run, Lifecycle.make(journal: state.journal))
        }
    }

    private static func perform(_ action: ContainerAction, _ select: ContainerSelectionOptions, _ run: ContainerRunOptions,
                                _ lifecycle: FaultLifecycle) throws {
        let selector = try select.selector(defaultStatuses: action.defaultStatuses)
        let engine = try select.engine()
        let info = try engine.engineInfo()
        // Always seeded and the seed printed, so any pick can be repeated with --seed.
        let seed = select.seed ?? SeedDerivation.fresh()
        var rng = SeededRandom(seed: seed)
        let chaos = ContainerChaos(engine: engine, lifecycle: lifecycle) { print($0) }
        let prefix = run.dryRun ? "dry run: " : ""
        print("\(prefix)\(action.name) on \(engine.host) (\(info.server.isEmpty ? "engine" : info.server), API \(info.apiVersion)); targets: \(selector.description), \(selector.pick), seed \(seed)")

        // Signals between rounds end a repeated run; during a pause FaultHold handles them.
        let stop = StopFlag()
        let trap = SignalTrap { stop.trigger($0) }
        defer { trap.cancel() }

        var outcomes: [ContainerChaos.Outcome] = []
        var interrupted: Int32?
        var selectionError: Error?
        let schedule = run.repeated ?? RepeatedChaos(interval: 0, duration: 0)
        let rounds = schedule.run(stop: stop) { index in
            if run.repeated != nil { print("round \(index + 1)/\(schedule.maxRounds)") }
            do {
                let targets = try selector.select(in: engine, using: &rng)
                let result = chaos.run(action, on: targets, dryRun: run.dryRun, waitRecovered: run.recoveryTimeout)
                outcomes += result.outcomes
                interrupted = result.interrupted
                return interrupted == nil
            } catch {
                selectionError = error
                return false
            }
        }
        if let selectionError, outcomes.isEmpty || !(selectionError is ChaosFailure) { throw selectionError }
        if let selectionError { print("stopping: \(selectionError)") }
        interrupted = interrupted ?? stop.signal

        summarize(outcomes, rounds: rounds, dryRun: run.dryRun)
        if let sig = interrupted {
            print("interrupted by signal \(sig)")
            throw ArgumentParser.ExitCode(SignalTrap.exitStatus(for: sig))
        }
        if let failed = outcomes.first(where: { !$0.ok })?.error {
            if let f = failed as? ChaosFailure { throw f }
            throw ChaosError("\(failed)")
        }
        if outcomes.contains(where: { $0.recovery?.recovered == false }) {
            throw ChaosError("some containers did not run again within \(run.waitRecovered ?? "")", exitCode: .failure)
        }
    }

    private static func summarize(_ outcomes: [ContainerChaos.Outcome], rounds: Int, dryRun: Bool) {
        let ok = outcomes.filter(\.ok).count
        var line = "\(dryRun ? "would act on" : "acted on") \(outcomes.count) container(s) in \(rounds) round(s): \(ok) ok, \(outcomes.count - ok) failed"
        let times = outcomes.compactMap { $0.recovery }.filter(\.recovered).map(\.seconds)
        if !times.isEmpty {
            let avg = times.reduce(0, +) / Double(times.count)
            line += "; recovered \(times.count)/\(outcomes.compactMap(\.recovery).count) in min \(DurationParser.format(times.min()!)) avg \(DurationParser.format(avg)) max \(DurationParser.format(times.max()!))"
        }
        print(line)
    }
}
