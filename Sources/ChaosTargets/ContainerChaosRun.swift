import ChaosCore
import Foundation

/// Runs a container action from its options model: select (seeded), act once or every
/// interval, and sum it up. Progress goes to `log`; nothing is printed here. A pause is
/// held through `FaultHoldRun` inside `ContainerChaos`; SIGINT/SIGTERM between rounds end a
/// repeated run.
public enum ContainerChaosRun {
    public struct Summary {
        public var outcomes: [ContainerChaos.Outcome]
        public var rounds: Int
        /// The seed the pick used (given or drawn), so any pick can be repeated.
        public var seed: UInt64
        /// The signal that ended the run early, if any.
        public var interrupted: Int32?
        /// One line: how many containers, rounds, failures, recovery times.
        public var line: String
        public var waitRecovered: Double?

        /// The first failed action, or a missed recovery, as the error that ends a command.
        public func check() throws {
            if let failed = outcomes.first(where: { !$0.ok })?.error {
                if let f = failed as? ChaosFailure { throw f }
                throw ChaosError("\(failed)")
            }
            if outcomes.contains(where: { $0.recovery?.recovered == false }) {
                throw ChaosError("some containers did not run again within \(DurationParser.format(waitRecovered ?? 0))",
                                 exitCode: .failure)
            }
        }
    }

    public static func run(_ options: ContainerFaultOptions, lifecycle: FaultLifecycle,
                           log: @escaping (String) -> Void) throws -> Summary {
        // Trapped before the first line and the first call: a signal from then on ends the
        // run through its summary, and between rounds ends a repeated run; during a pause
        // the hold takes it.
        let stop = StopFlag()
        let trap = SignalTrap { stop.trigger($0) }
        defer { trap.cancel() }
        let selector = try options.selector()
        let engine = try options.engine()
        let info = try engine.engineInfo()
        let seed = options.seed ?? SeedDerivation.fresh()
        var rng = SeededRandom(seed: seed)
        let chaos = ContainerChaos(engine: engine, lifecycle: lifecycle, log: log)
        let action = options.action
        log("\(options.dryRun ? "dry run: " : "")\(action.name) on \(engine.host) (\(info.server.isEmpty ? "engine" : info.server), API \(info.apiVersion)); targets: \(selector.description), \(selector.pick), seed \(seed)")

        var outcomes: [ContainerChaos.Outcome] = []
        var interrupted: Int32?
        var selectionError: Error?
        let schedule = options.repeated ?? RepeatedChaos(interval: 0, duration: 0)
        let rounds = schedule.run(stop: stop) { index in
            if options.repeated != nil { log("round \(index + 1)/\(schedule.maxRounds)") }
            do {
                let targets = try selector.select(in: engine, using: &rng)
                let result = chaos.run(action, on: targets, dryRun: options.dryRun, waitRecovered: options.waitRecovered)
                outcomes += result.outcomes
                interrupted = result.interrupted
                return interrupted == nil
            } catch {
                selectionError = error
                return false
            }
        }
        // A selection that fails in the first round is the run's error; in a later one it ends the run.
        if let selectionError, outcomes.isEmpty || !(selectionError is ChaosFailure) { throw selectionError }
        if let selectionError { log("stopping: \(selectionError)") }
        return Summary(outcomes: outcomes, rounds: rounds, seed: seed, interrupted: interrupted ?? stop.signal,
                       line: summaryLine(outcomes, rounds: rounds, dryRun: options.dryRun), waitRecovered: options.waitRecovered)
    }

    private static func summaryLine(_ outcomes: [ContainerChaos.Outcome], rounds: Int, dryRun: Bool) -> String {
        let ok = outcomes.filter(\.ok).count
        var line = "\(dryRun ? "would act on" : "acted on") \(outcomes.count) container(s) in \(rounds) round(s): \(ok) ok, \(outcomes.count - ok) failed"
        let times = outcomes.compactMap { $0.recovery }.filter(\.recovered).map(\.seconds)
        if let least = times.min(), let most = times.max() {
            let average = times.reduce(0, +) / Double(times.count)
            line += "; recovered \(times.count)/\(outcomes.compactMap(\.recovery).count) in min \(DurationParser.format(least)) avg \(DurationParser.format(average)) max \(DurationParser.format(most))"
        }
        return line
    }
}
