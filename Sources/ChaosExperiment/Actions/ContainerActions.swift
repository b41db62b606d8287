import ChaosConfig
import ChaosCore
import ChaosTargets

/// `container:` steps: kill, crash, stop, start, restart (one-shot) or pause, disconnect,
/// limit (held for the step's duration, journaled, reverted on expiry, SIGINT/SIGTERM and by
/// `recover`).
///
/// ```yaml
/// - container: {action: crash, label: app=web, count: 1, wait-recovered: 30s}
/// - container: {action: pause, label: app=web, all: true}
///   duration: 10s
/// - container: {action: disconnect, name: redis, network: backend}
///   duration: 20s
/// - container: {action: limit, label: app=web, cpus: 0.25, memory: 64MiB}
///   duration: 30s
/// ```
/// A step without its own `seed` picks its containers with a seed derived from the run's.
enum ContainerActions {
    static func parse(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard node.entries() != nil else { return nil }
        let actions = ContainerFaultOptions.actions
        guard let action = node["action"]?.choice(actions) else {
            if node["action"] == nil { node.problem("a container step needs 'action' (\(actions.joined(separator: ", ")))") }
            return nil
        }
        guard var values = node.optionValues(allowed: ContainerFaultOptions.optionNames(action: action), ignoring: ["action"])
        else { return nil }
        let held = ContainerFaultOptions.heldActions.contains(action)
        if held {
            // The step's duration is how long the fault lasts; recovery is timed from its revert.
            if duration != nil && values.text("for") != nil { node.problem("give the \(action)'s length once: 'duration' or 'for'") }
            if let duration, !(duration > 0) {
                node.problem("the step's 'duration' must be longer than 0 (the fault is reverted when it ends)")
                return nil
            }
            if let duration { values.set("for", duration == duration.rounded() ? "\(Int(duration))s" : "\(duration)s") }
            if values.text("for") == nil { node.problem("a \(action) step needs a duration (the fault is reverted when it ends)") }
        } else if duration != nil {
            node.problem("container \(action) is one-shot (recovery is timed from it); only \(ContainerFaultOptions.heldActions.sorted().joined(separator: ", ")) take a duration")
        }
        guard var options = node.build(values, { try ContainerFaultOptions(action: action, $0) }) else { return nil }
        if options.seed == nil { options.seed = context.stepSeed(node) }
        let summary = "container \(action) \(options.labels.first ?? options.name ?? "")"
        let perform: (StepEnvironment) throws -> String = { step in
            let run = try ContainerChaosRun.run(options, lifecycle: step.lifecycle, log: step.log)
            if let signal = run.interrupted { throw ChaosError("interrupted by signal \(signal)", exitCode: .aborted) }
            try run.check()
            return run.line
        }
        return held ? .selfReverting(summary: summary, perform: perform) : .oneShot(summary: summary, perform: perform)
    }
}
