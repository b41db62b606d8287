import ArgumentParser
import ChaosConfig
import ChaosCore
import ChaosExperiment
import ChaosNet

/// Every step kind an experiment may use: the standard ones (flags, profiles, commands)
/// plus those of the fault modules linked into this binary.
enum Actions {
    static func registry(seed: UInt64?) -> ActionRegistry {
        var registry = ActionRegistry.standard
        registry.register("netem") { node, duration, _ in
            guard let command: NetemApplyCommand = parseAsCommand(node) else { return nil }
            return fault(node, duration) { try NetemFault(try command.spec(), on: try command.device.target(force: command.hold.force)) }
        }
        registry.register("tbf") { node, duration, _ in
            guard let command: TbfApplyCommand = parseAsCommand(node) else { return nil }
            return fault(node, duration) { try TbfFault(try command.spec(), on: try command.device.target(force: command.hold.force)) }
        }
        registry.register("pod") { node, duration, context in
            guard node.entries() != nil else { return nil }
            let action = node["action"].map { $0.choice(["kill", "evict"]) } ?? "kill"
            if duration != nil { node.problem("pod actions are one-shot (recovery is timed from them); remove 'duration'") }
            switch action {
            case "kill":
                guard let command: PodKillCommand = parseAsCommand(node, ignoring: ["action"], extra: stepSeed(node, context)) else { return nil }
                return .oneShot(summary: "pod kill \(command.target.selector ?? "")") {
                    try PodChaosExecution.run(.kill, target: command.target, chaos: command.chaos)
                    return ""
                }
            case "evict":
                guard let command: PodEvictCommand = parseAsCommand(node, ignoring: ["action"], extra: stepSeed(node, context)) else { return nil }
                return .oneShot(summary: "pod evict \(command.target.selector ?? "")") {
                    try PodChaosExecution.run(.evict, target: command.target, chaos: command.chaos)
                    return ""
                }
            default:
                return nil
            }
        }
        registry.register("container") { node, duration, context in
            guard node.entries() != nil else { return nil }
            let actions = ["kill", "crash", "stop", "start", "restart", "pause"]
            guard let action = node["action"]?.choice(actions) else {
                if node["action"] == nil { node.problem("a container step needs 'action' (\(actions.joined(separator: ", ")))") }
                return nil
            }
            if action != "pause" && duration != nil {
                node.problem("container \(action) is one-shot (recovery is timed from it); only pause takes a duration")
            }
            if action == "pause" && duration == nil && node["for"] == nil {
                node.problem("a pause step needs a duration (the containers are unpaused when it ends)")
            }
            // Pause holds for the step's duration inside the command (journaled, unpaused on
            // SIGINT/SIGTERM and by `recover`); recovery is then timed from the unpause.
            let extra = (action == "pause" ? duration.map { ["--for=\(Int(($0 * 1000).rounded()))ms"] } ?? [] : [])
                + stepSeed(node, context)
            let command: ParsableCommand?
            switch action {
            case "kill": command = parseAsCommand(node, ignoring: ["action"], extra: extra) as ContainerKillCommand?
            case "crash": command = parseAsCommand(node, ignoring: ["action"], extra: extra) as ContainerCrashCommand?
            case "stop": command = parseAsCommand(node, ignoring: ["action"], extra: extra) as ContainerStopCommand?
            case "start": command = parseAsCommand(node, ignoring: ["action"], extra: extra) as ContainerStartCommand?
            case "restart": command = parseAsCommand(node, ignoring: ["action"], extra: extra) as ContainerRestartCommand?
            default: command = parseAsCommand(node, ignoring: ["action"], extra: extra) as ContainerPauseCommand?
            }
            guard var command else { return nil }
            let label = node["label"]?.node.scalar?.string ?? node["name"]?.node.scalar?.string ?? ""
            let summary = "container \(action) \(label)"
            if action == "pause" {
                return .selfReverting(summary: summary) { try command.run(); return "" }
            }
            return .oneShot(summary: summary) { try command.run(); return "" }
        }
        return registry
    }

    /// `--seed` for a step's random pick, derived from the run's seed and the step's place in
    /// the file, unless the step sets its own `seed`.
    static func stepSeed(_ node: ConfigNode, _ context: ExperimentContext) -> [String] {
        guard let seed = context.seed, node["seed"] == nil else { return [] }
        return ["--seed=\(SeedDerivation.seed(seed, for: node.path))"]
    }

    /// A step written as the command's own options (`{dev: eth0, delay: 100ms, loss: 5%}` is
    /// `--dev eth0 --delay 100ms --loss 5%`), so steps and the CLI share one parser and one
    /// set of checks. `true` stands for a flag; lists repeat the option.
    static func parseAsCommand<C: ParsableCommand>(_ node: ConfigNode, ignoring: Set<String> = [], extra: [String] = []) -> C? {
        guard let entries = node.entries() else { return nil }
        var args: [String] = extra
        for (key, value) in entries {
            // An empty value means "not set", so `netns: ${NET_NS:-}` can be left out by the environment.
            if ignoring.contains(key) || (value.node.scalar?.string.isEmpty ?? false) { continue }
            let option = "--" + key.replacingOccurrences(of: "_", with: "-")
            if let b = value.node.bool, value.node.scalar?.style == .plain {
                if b { args.append(option) }
            } else if let list = value.node.sequence {
                for item in list { args += [option, item.string ?? ""] }
            } else if let text = value.node.scalar?.string {
                args += [option + "=" + text]
            } else {
                value.problem("expected a value, a list or true/false")
            }
        }
        do {
            return try C.parse(args)
        } catch {
            node.problem(C.message(for: error).replacingOccurrences(of: "\n", with: " "))
            return nil
        }
    }

    /// Build the fault now, so bad values are reported at validation, not mid-run.
    static func fault(_ node: ConfigNode, _ duration: Double?, _ make: () throws -> Fault) -> PlannedStep.Action? {
        do { return .fault(try make(), duration: duration) } catch {
            node.problem("\(error)")
            return nil
        }
    }
}
