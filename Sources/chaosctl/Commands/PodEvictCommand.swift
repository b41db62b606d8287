import ArgumentParser

/// `chaosctl pod evict`: policy/v1 Evictions (disruption budgets apply, as in a drain).
struct PodEvictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evict",
        abstract: "Evict randomly chosen pods through the Eviction API (PodDisruptionBudgets apply).",
        discussion: "An eviction the budget refuses (HTTP 429) is reported as blocked and exits 8; it is not retried.")

    @OptionGroup var target: PodTargetOptions
    @OptionGroup var chaos: PodChaosArguments

    func run() throws {
        try Failures.reporting { try PodChaosExecution.run(.evict, target: target, chaos: chaos) }
    }
}
