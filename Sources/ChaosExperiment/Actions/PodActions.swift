import ChaosConfig
import ChaosCore
import ChaosTargets

/// `pod:` steps: kill or evict pods, one-shot (recovery is timed from the action).
///
/// ```yaml
/// - pod: {action: kill, namespace: shop, selector: app=api, count: 1, grace-period: 0s}
/// ```
/// A step without its own `seed` picks its pods with a seed derived from the run's.
enum PodActions {
    static let actions = ["kill", "evict"]

    static func parse(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard node.entries() != nil else { return nil }
        let name = node["action"].map { $0.choice(actions) } ?? "kill"
        if duration != nil { node.problem("pod actions are one-shot (recovery is timed from them); remove 'duration'") }
        guard let name, let action = PodChaosAction(rawValue: name),
              var options = node.options(PodFaultOptions.optionNames, ignoring: ["action"], { try PodFaultOptions(action: action, $0) })
        else { return nil }
        if options.seed == nil { options.seed = context.stepSeed(node) }
        return .oneShot(summary: "pod \(name) \(options.selector ?? "")") { step in
            let summary = try PodChaos.run(options, journal: step.lifecycle.journal, log: step.log)
            try summary.check()
            return summary.line
        }
    }
}
