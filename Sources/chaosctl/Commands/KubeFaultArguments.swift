import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

/// Which cluster, how long, dry run: shared by `node`, `scale` and `partition`
/// (`KubeConnection.optionNames` + for, dry-run).
struct KubeFaultArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster).", valueName: "file"))
    var kubeconfig: String?
    @Option(name: .long, help: "kubeconfig context (default: current-context).")
    var context: String?
    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Per-request timeout (default 30s).", valueName: "duration"))
    var requestTimeout: String?
    @Option(name: .customLong("for"), help: ArgumentHelp("Revert after this long (e.g. 60s). Without it, hold until Ctrl-C/SIGTERM.", valueName: "duration"))
    var duration: String?
    @Flag(name: .customLong("dry-run"), help: "Server-side dry run (dryRun=All): the server checks the change and stores nothing; nothing is journaled.")
    var dryRun = false
    @OptionGroup var state: StateOptions

    func values() -> OptionValues {
        var v = OptionValues()
        v.set("kubeconfig", kubeconfig)
        v.set("context", context)
        v.set("request-timeout", requestTimeout)
        v.set("for", duration)
        v.set("dry-run", flag: dryRun)
        return v
    }

    /// Print the progress and the summary; a signal ends with 128+n, a failure with its code.
    static func finish(_ run: (FaultLifecycle, @escaping (String) -> Void) throws -> KubeFaultSummary, state: StateOptions) throws {
        let summary = try run(Lifecycle.make(journal: state.journal)) { line in
            print(line)
            fflush(stdout)
        }
        print(summary.line)
        try summary.check()
        if let sig = summary.interrupted { throw ArgumentParser.ExitCode(SignalTrap.exitStatus(for: sig)) }
    }
}
