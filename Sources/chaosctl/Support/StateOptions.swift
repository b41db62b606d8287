import ArgumentParser
import ChaosCore

/// Where the fault journal lives; shared by every command that applies or reverts faults.
struct StateOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "State directory holding the fault journal.",
        discussion: "Default: $CHAOSCTL_STATE_DIR, else /var/lib/chaosctl for root, else ~/.local/state/chaosctl.",
        valueName: "dir"))
    var stateDir: String?

    var journal: FaultJournal { FaultJournal(directory: stateDir) }
}
