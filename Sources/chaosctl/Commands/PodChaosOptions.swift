import ArgumentParser
import ChaosCore
import ChaosTargets

/// How many pods, how often, how safely: shared by `pod kill` and `pod evict`.
struct PodChaosOptions: ParsableArguments {
    @Option(help: "How many eligible pods to hit (default 1).") var count: Int?
    @Option(help: "Percent of the eligible pods to hit, rounded up.") var percent: Double?
    @Option(name: .customLong("max-percent"), help: "Blast-radius cap: never leave more than this percent of the matching pods unavailable (pods already down count).")
    var maxPercent: Double = 50
    @Flag(help: "Act even if the selector matches nothing or every pod of a namespace.") var force = false
    @Option(name: .customLong("grace-period"), help: "Seconds of graceful termination (0 = immediate; default: the pod's own).")
    var gracePeriod: Int?
    @Flag(name: .customLong("dry-run"), help: "Server-side dry run (dryRun=All): print what would happen, change nothing.")
    var dryRun = false
    @Option(help: "Seed for choosing pods, to replay a run.") var seed: UInt64?
    @Option(help: ArgumentHelp("Repeat every interval (Litmus CHAOS_INTERVAL).", valueName: "duration")) var interval: String?
    @Option(help: ArgumentHelp("Total time over which rounds start (Litmus TOTAL_CHAOS_DURATION).", valueName: "duration"))
    var duration: String?
    @Flag(help: "Hit a round's pods at once instead of one after another.") var parallel = false
    @Option(name: .customLong("wait-recovered"), help: ArgumentHelp("After each round, wait this long for as many Running+Ready pods as before.", valueName: "duration"))
    var waitRecovered: String?
    @OptionGroup var state: StateOptions

    func validate() throws {
        if count != nil && percent != nil { throw ValidationError("--count and --percent exclude each other") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let percent, !(percent > 0 && percent <= 100) { throw ValidationError("--percent must be in (0, 100]") }
        if !(maxPercent > 0 && maxPercent <= 100) { throw ValidationError("--max-percent must be in (0, 100]") }
        if let gracePeriod, gracePeriod < 0 { throw ValidationError("--grace-period must be 0 or more") }
        if interval != nil && duration == nil { throw ValidationError("--interval needs --duration") }
    }

    func plan(_ action: PodChaosAction, selection: PodSelectionSpec) throws -> PodChaosPlan {
        PodChaosPlan(action: action, selection: selection, gracePeriodSeconds: gracePeriod, dryRun: dryRun, seed: seed,
                     interval: try interval.map { try DurationParser.seconds($0, field: "--interval") },
                     duration: try duration.map { try DurationParser.seconds($0, field: "--duration") },
                     parallel: parallel,
                     waitRecovered: try waitRecovered.map { try DurationParser.seconds($0, field: "--wait-recovered") })
    }

    var amount: PodAmount { percent.map { .percent($0) } ?? .count(count ?? 1) }
}
