import ArgumentParser
import ChaosCore
import ChaosTargets

/// How many pods, how often, how safely: shared by `pod kill` and `pod evict`
/// (`PodFaultOptions.optionNames`; checked by the model, so a bad value exits 2).
struct PodChaosArguments: ParsableArguments {
    @Option(help: "How many eligible pods to hit (default 1).") var count: String?
    @Option(help: "Percent of the eligible pods to hit, rounded up.") var percent: String?
    @Option(name: .customLong("max-percent"), help: "Blast-radius cap: never leave more than this percent of the matching pods unavailable (pods already down count; default 50).")
    var maxPercent: String?
    @Flag(help: "Act even if the selector matches nothing or every pod of a namespace.") var force = false
    @Option(name: .customLong("grace-period"), help: ArgumentHelp("Graceful termination (0s = immediate; bare numbers are seconds; default: the pod's own).", valueName: "duration"))
    var gracePeriod: String?
    @Flag(name: .customLong("dry-run"), help: "Server-side dry run (dryRun=All): print what would happen, change nothing.")
    var dryRun = false
    @Option(help: "Seed for choosing pods, to replay a run.") var seed: String?
    @Option(help: ArgumentHelp("Repeat every interval (Litmus CHAOS_INTERVAL).", valueName: "duration")) var interval: String?
    @Option(help: ArgumentHelp("Total time over which rounds start (Litmus TOTAL_CHAOS_DURATION).", valueName: "duration"))
    var duration: String?
    @Flag(help: "Hit a round's pods at once instead of one after another.") var parallel = false
    @Option(name: .customLong("wait-recovered"), help: ArgumentHelp("After each round, wait this long for as many Running+Ready pods as before.", valueName: "duration"))
    var waitRecovered: String?
    @OptionGroup var state: StateOptions

    func add(to v: inout OptionValues) {
        for (name, text) in [("count", count), ("percent", percent), ("max-percent", maxPercent), ("grace-period", gracePeriod),
                             ("seed", seed), ("interval", interval), ("duration", duration), ("wait-recovered", waitRecovered)] {
            v.set(name, text)
        }
        v.set("force", flag: force)
        v.set("dry-run", flag: dryRun)
        v.set("parallel", flag: parallel)
    }
}
