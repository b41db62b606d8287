import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

/// The body shared by `pod kill` and `pod evict`: build the plan, run it, print as it
/// goes, and turn blocked evictions into exit code 8 (.conflict).
enum PodChaosExecution {
    static func run(_ action: PodChaosAction, target: PodTargetOptions, chaos: PodChaosOptions) throws {
        let (client, namespace) = try target.connect()
        let selection = PodSelectionSpec(namespace: namespace, labelSelector: target.selector,
                                         fieldSelector: target.fieldSelector, includeNotRunning: target.includeNotRunning,
                                         amount: chaos.amount, maxPercent: chaos.maxPercent, force: chaos.force,
                                         policy: target.policy)
        let plan = try chaos.plan(action, selection: selection)
        print("\(chaos.dryRun ? "[dry run] " : "")\(action.rawValue) via \(client.target.server) (\(client.target.origin))")
        let runner = PodChaosRunner(client: client, journal: chaos.dryRun ? nil : chaos.state.journal) { line in
            print(line)
            fflush(stdout)
        }
        let rounds = try runner.run(plan)
        let blocked = rounds.flatMap(\.blocked)
        let done = rounds.flatMap(\.results).filter { if case .done = $0.outcome { return true } else { return false } }
        let verb = action == .kill ? "deleted" : "evicted"
        let skipped = rounds.filter { $0.skipped != nil }.count
        let cap = chaos.maxPercent == chaos.maxPercent.rounded() ? String(Int(chaos.maxPercent)) : String(chaos.maxPercent)
        let unmeasured = rounds.filter { $0.recoveryNotMeasured != nil && !chaos.dryRun }.count
        print("\(chaos.dryRun ? "would have " : "")\(verb) \(done.count) pod(s) in \(rounds.count) round(s)"
              + (blocked.isEmpty ? "" : ", \(blocked.count) blocked by disruption budget")
              + (skipped == 0 ? "" : ", \(skipped) round(s) skipped by the blast-radius cap --max-percent \(cap)")
              + (unmeasured == 0 ? "" : ", recovery not measured in \(unmeasured) round(s): nothing to recover to"))
        if !blocked.isEmpty {
            throw ChaosError("\(blocked.count) eviction(s) blocked by disruption budget", exitCode: .conflict)
        }
    }
}
