import ChaosConfig
import ChaosFlags

/// `flag:`, `flags:` and `profile:` steps: control-file flags as held faults.
enum FlagActions {
    /// `flag: {name: slow-db, percent: 50, latency_ms: 150}`
    static func parseFlag(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard node.entries() != nil else { return nil }
        guard let name = node["name"]?.string() else {
            node.problem("a flag step needs a 'name'")
            return nil
        }
        guard let setting = FaultProfile.parseFlag(name: name, node: node, defaultFor: nil, extraKeys: ["name"]) else { return nil }
        return .fault(FlagSetFault(path: context.controlPath, settings: [setting]), duration: duration)
    }

    /// `flags: {slow-db: {percent: 50}, drop-s3: {percent: 10}}` — one atomic write.
    static func parseFlags(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard let entries = node.entries() else { return nil }
        let settings = entries.compactMap { FaultProfile.parseFlag(name: $0.key, node: $0.value, defaultFor: nil) }
        guard settings.count == entries.count, !settings.isEmpty else {
            if entries.isEmpty { node.problem("list at least one flag") }
            return nil
        }
        return .fault(FlagSetFault(path: context.controlPath, settings: settings), duration: duration)
    }

    /// `profile: fault-profiles/slow-dependencies.yaml`
    static func parseProfile(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard let path = node.string() else { return nil }
        let file = context.resolve(path)
        do {
            let profile = try FaultProfile.load(file: file)
            // The step's duration governs; the profile's own `for` is dropped so flags do not
            // expire earlier than the runner reverts them.
            let settings = profile.flags.map { s -> FlagSetting in var s = s; s.forSeconds = nil; return s }
            return .fault(FlagSetFault(path: context.controlPath, settings: settings, replace: profile.replace), duration: duration)
        } catch {
            node.problem("profile \(file): \(error)")
            return nil
        }
    }
}
