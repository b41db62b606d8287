import ArgumentParser

/// `chaosctl pod kill`: DELETE the chosen pods (disruption budgets do not apply).
struct PodKillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Delete randomly chosen pods (like a crash: PodDisruptionBudgets do not apply).",
        discussion: "Each DELETE carries a UID precondition, so a replacement that reused the name is never hit.")

    @OptionGroup var target: PodTargetOptions
    @OptionGroup var chaos: PodChaosArguments

    func run() throws {
        try Failures.reporting { try PodChaosExecution.run(.kill, target: target, chaos: chaos) }
    }
}
