import ChaosConfig
import ChaosControl
import ChaosCore
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
        return .fault(FlagSetFault(path: context.controlPath, settings: [seeded(setting, key: node.path, context)]),
                      duration: duration)
    }

    /// `flags: {slow-db: {percent: 50}, drop-s3: {percent: 10}}` — one atomic write.
    static func parseFlags(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard let entries = node.entries() else { return nil }
        let settings = entries.compactMap { entry in
            FaultProfile.parseFlag(name: entry.key, node: entry.value, defaultFor: nil)
                .map { seeded($0, key: entry.value.path, context) }
        }
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
            let settings = profile.flags.map { s -> FlagSetting in
                var s = seeded(s, key: "\(node.path).\(s.name)", context)
                s.forSeconds = nil
                return s
            }
            return .fault(FlagSetFault(path: context.controlPath, settings: settings, replace: profile.replace), duration: duration)
        } catch {
            node.problem("profile \(file): \(error)")
            return nil
        }
    }

    /// The flag's decision seed derived from the run's seed and the flag's place in the file
    /// (as pod and container steps derive theirs), unless the flag sets `seed` itself. Kept
    /// below 2^53, the protocol's bound.
    static func seeded(_ setting: FlagSetting, key: String, _ context: ExperimentContext) -> FlagSetting {
        guard setting.seed == nil, let runSeed = context.seed else { return setting }
        var setting = setting
        setting.seed = SeedDerivation.seed(runSeed, for: key) & FlagLimits.maxSeed
        return setting
    }
}
