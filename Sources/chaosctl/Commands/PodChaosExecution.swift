import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

/// The body shared by `pod kill` and `pod evict`: build the options model, run it through
/// ChaosTargets printing as it goes, and turn blocked evictions into exit code 8.
enum PodChaosExecution {
    static func options(_ action: PodChaosAction, target: PodTargetOptions, chaos: PodChaosArguments) throws -> PodFaultOptions {
        var values = OptionValues()
        target.add(to: &values)
        chaos.add(to: &values)
        return try PodFaultOptions(action: action, values)
    }

    static func run(_ action: PodChaosAction, target: PodTargetOptions, chaos: PodChaosArguments) throws {
        let options = try options(action, target: target, chaos: chaos)
        let summary = try PodChaos.run(options, journal: chaos.state.journal) { line in
            print(line)
            fflush(stdout)
        }
        print(summary.line)
        try summary.check()
    }
}
