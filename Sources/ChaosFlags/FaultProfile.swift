import ChaosConfig
import ChaosControl
import ChaosCore
import Foundation

/// A named set of flags applied in one atomic write (`fault-profiles/*.yaml`).
///
/// ```yaml
/// description: Feature store and database answer slowly.
/// for: 15m            # optional: every flag turns itself off after this
/// replace: false      # optional: true also removes flags the profile does not list
/// flags:
///   slow-db: { percent: 50, latency_ms: 150, jitter_ms: 50 }
///   fail-auth: { percent: 10, mode: fallback }
/// ```
public struct FaultProfile: Equatable, Sendable {
    public var name: String
    public var file: String
    public var description: String
    public var replace: Bool
    public var flags: [FlagSetting]

    public static let flagFields: Set<String> = [
        "enabled", "percent", "latency_ms", "jitter_ms", "mode", "severity", "max_hits", "params", "for", "seed",
    ]

    /// Load and validate; every problem is reported with file, line and field.
    public static func load(file: String) throws -> FaultProfile {
        let root = try ConfigNode.load(file: file, what: "fault profile")
        return try parse(root, file: file)
    }

    public static func parse(_ root: ConfigNode, file: String) throws -> FaultProfile {
        root.checkKeys(["description", "for", "replace", "flags"])
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let description = root["description"]?.string() ?? ""
        let replace = root["replace"]?.bool() ?? false
        let profileFor = root["for"]?.seconds()
        var flags: [FlagSetting] = []
        if let flagsNode = root["flags"] {
            for (flagName, node) in flagsNode.entries() ?? [] {
                if let setting = parseFlag(name: flagName, node: node, defaultFor: profileFor) { flags.append(setting) }
            }
            if flagsNode.node.mapping?.isEmpty == true { flagsNode.problem("a profile needs at least one flag") }
        } else {
            root.diagnostics.report(line: root.line, field: "flags", value: nil, "missing: a profile needs a 'flags' mapping")
        }
        try root.diagnostics.throwIfAny()
        return FaultProfile(name: name, file: file, description: description, replace: replace, flags: flags)
    }

    public static func parseFlag(name: String, node: ConfigNode, defaultFor: Double?,
                                 extraKeys: Set<String> = []) -> FlagSetting? {
        guard node.entries() != nil else { return nil }
        node.checkKeys(flagFields.union(extraKeys))
        var s = FlagSetting(name: name)
        if name.range(of: #"^[a-z0-9._-]{1,128}$"#, options: .regularExpression) == nil {
            node.diagnostics.report(line: node.line, field: node.path, value: name,
                                    "flag names use only a-z, 0-9, '.', '_' and '-' (at most 128)")
        }
        if let v = node["enabled"] { s.enabled = v.bool() ?? true }
        if let v = node["percent"] { s.percent = v.double(in: 0...100) }
        if let v = node["latency_ms"] { s.latencyMs = v.int(in: 0...3_600_000) }
        if let v = node["jitter_ms"] { s.jitterMs = v.int(in: 0...3_600_000) }
        if let v = node["mode"] { s.mode = v.choice(["fail", "fallback"]) }
        if let v = node["severity"] { s.severity = v.choice(["soft", "hard"]) }
        if let v = node["max_hits"] { s.maxHits = v.int(in: 1...Int(Int32.max)) }
        if let v = node["seed"] { s.seed = v.int(in: 0...Int(FlagLimits.maxSeed)).map(UInt64.init) }
        if let v = node["for"] { s.forSeconds = v.seconds() } else { s.forSeconds = defaultFor }
        if let params = node["params"] {
            for (key, value) in params.entries() ?? [] {
                guard case .scalar(let scalar) = value.node else { value.problem("params values are text, numbers or booleans"); continue }
                if let b = value.node.bool, scalar.style == .plain { s.params[key] = .bool(b) }
                else if let n = value.node.float ?? value.node.int.map(Double.init), scalar.style == .plain { s.params[key] = .number(n) }
                else { s.params[key] = .string(scalar.string) }
            }
        }
        return s
    }

    /// Profiles in a directory, sorted by name.
    public static func list(directory: String) -> [(name: String, file: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .sorted()
            .map { (name: ($0 as NSString).deletingPathExtension, file: directory + "/" + $0) }
    }
}
