// chaosnet-probe: a test-only front end for ChaosNet. It compiles chaosctl's own netem/tbf
// command files (symlinked here) so the tests and the netem VM exercise the real CLI before
// chaosctl's main registers NetemCommand and TbfCommand, plus a `recover` for qdisc faults.
import ArgumentParser
import ChaosCore
import ChaosNet

struct ProbeRecover: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "recover", abstract: "Revert netem/tbf faults whose owner died or expired.")
    @Flag(help: "Revert every journaled netem/tbf fault.") var all = false
    func run() throws {
        let lifecycle = FaultLifecycle(journal: FaultJournal(), reverters: QdiscReverter.all)
        let outcome = lifecycle.recover(all: all, kinds: ["netem", "tbf"])
        for r in outcome.reverted { print("reverted \(r.kind) fault \(r.id) on \(r.target)") }
        for (r, e) in outcome.failed { print("FAILED \(r.kind) fault \(r.id) on \(r.target): \(e)") }
        for p in outcome.problems { print("problem: \(p)") }
        if !outcome.failed.isEmpty { throw ArgumentParser.ExitCode(1) }
    }
}

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chaosnet-probe",
        subcommands: [NetemCommand.self, TbfCommand.self, ProbeRecover.self])
}

Probe.main()
