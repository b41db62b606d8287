import ChaosConfig
import ChaosCore
import ChaosTargets

/// `node:`, `scale:` and `partition:` steps: Kubernetes faults held for the step's
/// duration, journaled (so `recover` covers a crash) and reverted when it ends.
///
/// ```yaml
/// - node: {action: drain, node: worker-2, grace-period: 30s, timeout: 60s}
///   duration: 2m
/// - scale: {workload: deployment/qdrant, namespace: search, replicas: 0}
///   duration: 60s
/// - partition: {namespace: shop, selector: app=redis, direction: both}
///   duration: 30s
/// ```
enum KubeActions {
    static func parseNode(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard node.entries() != nil else { return nil }
        let actions = NodeFaultOptions.Action.allCases.map(\.rawValue)
        guard let name = node["action"].map({ $0.choice(actions) }) ?? "drain", let action = NodeFaultOptions.Action(rawValue: name),
              let values = held(node, duration, NodeFaultOptions.optionNames(action), ignoring: ["action"]),
              let options = node.build(values, { try NodeFaultOptions(action: action, $0) }) else { return nil }
        return .selfReverting(summary: "node \(name) \(options.node ?? options.selector ?? "")") { step in
            try finish(try NodeChaos.run(options, lifecycle: step.lifecycle, log: step.log))
        }
    }

    static func parseScale(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard let values = held(node, duration, ScaleFaultOptions.optionNames),
              let options = node.build(values, ScaleFaultOptions.init) else { return nil }
        return .selfReverting(summary: "scale \(options.workload) to \(options.replicas)") { step in
            try finish(try ScaleChaos.run(options, lifecycle: step.lifecycle, log: step.log, warn: { step.log("warning: \($0)") }))
        }
    }

    static func parsePartition(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard let values = held(node, duration, PartitionFaultOptions.optionNames),
              let options = node.build(values, PartitionFaultOptions.init) else { return nil }
        return .selfReverting(summary: "partition \(options.spec.summary)") { step in
            try finish(try PartitionChaos.run(options, lifecycle: step.lifecycle, log: step.log))
        }
    }

    /// The step's options with its duration as `for`: a held step needs one length.
    private static func held(_ node: ConfigNode, _ duration: Double?, _ allowed: [String], ignoring: Set<String> = []) -> OptionValues? {
        guard var values = node.optionValues(allowed: allowed, ignoring: ignoring) else { return nil }
        if duration != nil && values.text("for") != nil { node.problem("give the fault's length once: 'duration' or 'for'") }
        if let duration {
            guard duration > 0 else {
                node.problem("the step's 'duration' must be longer than 0 (the fault is reverted when it ends)")
                return nil
            }
            values.set("for", duration == duration.rounded() ? "\(Int(duration))s" : "\(duration)s")
        }
        if values.text("for") == nil && !((try? values.flag("dry-run")) ?? false) {
            node.problem("this step needs a duration (the fault is reverted when it ends)")
        }
        return values
    }

    private static func finish(_ summary: KubeFaultSummary) throws -> String {
        if let signal = summary.interrupted { throw ChaosError("interrupted by signal \(signal)", exitCode: .aborted) }
        try summary.check()
        return summary.line
    }
}
