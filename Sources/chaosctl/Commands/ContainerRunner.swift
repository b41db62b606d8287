import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

/// Shared body of the action subcommands: build the options model, run it through
/// ChaosTargets, print what happened.
enum ContainerRunner {
    /// - Parameter own: the action's own options (`signal`, `timeout`, `for`).
    static func execute(_ action: String, own: [String: String?] = [:], _ select: ContainerSelectionOptions,
                        _ run: ContainerRunOptions, _ state: StateOptions) throws {
        try Failures.reporting {
            var values = select.values()
            run.add(to: &values)
            for (name, text) in own { values.set(name, text) }
            let options = try ContainerFaultOptions(action: action, values)
            let summary = try ContainerChaosRun.run(options, lifecycle: Lifecycle.make(journal: state.journal)) { print($0) }
            print(summary.line)
            if let sig = summary.interrupted {
                print("interrupted by signal \(sig)")
                throw ArgumentParser.ExitCode(SignalTrap.exitStatus(for: sig))
            }
            try summary.check()
        }
    }
}
