import ArgumentParser
import ChaosCore
import Foundation

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Revert faults left behind by a crashed chaosctl (or every fault, with --all).",
        discussion: """
        Without --all, reverts faults whose holding process is gone (e.g. SIGKILLed), faults past their expiry, and faults left half-applied. Faults held by a live chaosctl are left alone. --all also reverts detached faults (e.g. `flag enable` without --for).

        A revert undoes only what its own record wrote: a flag (or toxic, or pause) someone changed since is left as it is, and the revert says so on stderr and in the journal's events (see `chaosctl status`).
        """)

    @OptionGroup var state: StateOptions
    @Flag(name: .long, help: "Revert every journaled fault not held by a live process, including detached ones.")
    var all = false
    @Option(name: .long, parsing: .upToNextOption, help: "Only these fault kinds (flag, netem, tbf, toxic, proxy, container-pause, …).")
    var kind: [String] = []
    @Flag(name: .long, help: "Show what would be reverted; change nothing.") var dryRun = false

    func run() throws {
        try Failures.reporting {
            let lifecycle = Lifecycle.make(journal: state.journal)
            try lifecycle.checkKinds(kind)
            let kinds = kind.isEmpty ? nil : Set(kind)
            if dryRun {
                let (records, problems) = lifecycle.journal.records()
                var any = false
                for r in records where kinds?.contains(r.kind) ?? true {
                    if let why = FaultLifecycle.recoverReason(r, all: all) {
                        print("would revert \(FaultRecordText.line(r)) (\(why))")
                        any = true
                    }
                }
                if !any { print("Nothing to recover.") }
                problems.forEach(Failures.printError)
                return
            }
            let outcome = lifecycle.recover(all: all, kinds: kinds)
            let touchedBySomeoneElse = Set(outcome.leftAlone.map { $0.0.id })
            for r in outcome.reverted {
                // A record whose change was since replaced did not put anything back there.
                let verb = touchedBySomeoneElse.contains(r.id) ? "ended (changed since, left as it is)" : "reverted"
                print("\(verb) \(FaultRecordText.line(r))")
            }
            // A revert undoes only its own change: say what it found changed and left alone.
            for (r, notes) in outcome.leftAlone {
                for note in notes { Failures.printError("record \(r.id): \(note)") }
            }
            for (r, error) in outcome.failed { Failures.printError("could not revert \(r.id) \(FaultText.what(kind: r.kind, target: r.target)): \(error)") }
            outcome.problems.forEach(Failures.printError)
            if outcome.reverted.isEmpty && outcome.failed.isEmpty {
                print("Nothing to recover" + (outcome.kept.isEmpty ? "." : " (\(outcome.kept.count) fault(s) held by live processes or detached; see `chaosctl status`, or use --all)."))
            }
            if !outcome.failed.isEmpty { throw ChaosError("\(outcome.failed.count) fault(s) could not be reverted; they stay in the journal", exitCode: .failure) }
        }
    }
}
