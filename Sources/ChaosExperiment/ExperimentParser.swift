import ChaosConfig
import ChaosCore
import ChaosProbe
import Foundation

/// Reads an experiment file (YAML or JSON) and validates all of it before anything runs:
/// every problem is reported with file, line and field.
public enum ExperimentParser {
    /// Largest experiment file read: a hand-written experiment is a few KiB, and parsing
    /// and checking a larger one would cost seconds and hundreds of MB before any step ran.
    public static let maximumFileBytes = 1 << 20

    public static func load(file: String, context: ExperimentContext,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Experiment {
        let data: Data
        do { data = try InputFile.read(file, what: "experiment file", limit: maximumFileBytes) } catch is InputFile.Unreadable {
            throw ChaosError("\(file): cannot read the file (missing or not readable)", exitCode: .usage)
        }
        guard let raw = String(data: data, encoding: .utf8) else {
            throw ChaosError("\(file): cannot read the file (not UTF-8 text)", exitCode: .usage)
        }
        return try parse(text: raw, file: file, context: context, environment: environment)
    }

    /// Checks experiment text already read (environment references expanded in its values); `file`
    /// names it in errors and anchors relative paths.
    public static func parse(text raw: String, file: String, context: ExperimentContext,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Experiment {
        let root = try ConfigNode.parse(raw, file: file, environment: environment)
        var context = context
        context.baseDirectory = (file as NSString).deletingLastPathComponent.isEmpty
            ? FileManager.default.currentDirectoryPath : (file as NSString).deletingLastPathComponent
        return try parse(root, file: file, context: context)
    }

    public static func parse(_ root: ConfigNode, file: String, context: ExperimentContext) throws -> Experiment {
        guard root.entries() != nil else { try root.diagnostics.throwIfAny(); throw ConfigErrors([]) }
        root.checkKeys(["title", "description", "steady_state", "slo", "load", "method", "rollbacks", "stop_conditions"])
        let title = root["title"]?.string() ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let description = root["description"]?.string() ?? ""

        let steady = steadyState(root["steady_state"], root: root, context: context)
        let (objectives, loadEntries) = slos(root["slo"])
        let load = root["load"].flatMap { LoadSpecParser.load($0, baseDirectory: context.baseDirectory) }
        if load == nil, let first = loadEntries.first {
            first.0.problem("a 'source: load' SLO needs a 'load' command whose results chaosctl can read")
        }
        let method = steps(root["method"], context: context, required: true, root: root, field: "method")
        let rollbacks = steps(root["rollbacks"], context: context, required: false, root: root, field: "rollbacks")
        LoadSpecParser.checkPhases(loadEntries, steps: method)
        var stops: [StopCondition] = []
        for node in root["stop_conditions"]?.items() ?? [] {
            guard node.entries() != nil else { continue }
            node.checkKeys(["source", "max_error_rate", "p95_ms", "window"])
            let onLoad = node["source"]?.choice(["probes", "load"]) == "load"
            if onLoad && load == nil { node.problem("a 'source: load' stop condition needs a 'load' command") }
            let rate = node["max_error_rate"].flatMap(ratio)
            let p95 = node["p95_ms"]?.double(in: 0...3_600_000)
            if rate == nil && p95 == nil { node.problem("a stop condition needs max_error_rate or p95_ms") }
            if onLoad && p95 != nil { node["p95_ms"]?.problem("a 'source: load' stop condition judges the error rate only (max_error_rate)") }
            let window = node["window"]?.seconds() ?? 5
            if onLoad && !(1...60).contains(window) { node["window"]?.problem("a 'source: load' stop condition's window must be 1s to 60s") }
            stops.append(StopCondition(onLoad: onLoad, maxErrorRate: rate, p95Milliseconds: p95, window: window))
        }
        try root.diagnostics.throwIfAny()
        return Experiment(file: file, title: title, description: description, steadyState: steady!, objectives: objectives,
                          load: load, method: method, rollbacks: rollbacks, stopConditions: stops,
                          loadObjectives: loadEntries.map(\.1))
    }

    /// "1%", "0.01" or 1 (meaning 1 %, when written with a % it is unambiguous) → 0.01.
    static func ratio(_ node: ConfigNode) -> Double? {
        if let text = node.node.scalar?.string, text.hasSuffix("%") {
            guard let v = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), (0...100).contains(v) else {
                node.problem("not a percentage between 0% and 100%")
                return nil
            }
            return v / 100
        }
        guard let v = node.double(in: 0...1) else { return nil }
        return v
    }

    private static func steadyState(_ node: ConfigNode?, root: ConfigNode, context: ExperimentContext) -> SteadyState? {
        guard let node, node.entries() != nil else {
            root.diagnostics.report(line: root.line, field: "steady_state", value: nil,
                                    "missing: an experiment needs steady_state.probes to know whether the system is healthy")
            return nil
        }
        node.checkKeys(["probes", "interval", "healthy_after", "before", "after", "tolerance"])
        var probes: [Probe] = []
        if let list = node["probes"]?.items() {
            probes = list.compactMap { ProbeParser.parse($0, context: context) }
            if list.isEmpty { node["probes"]?.problem("list at least one probe") }
            let names = probes.map(\.name)
            if Set(names).count != names.count { node["probes"]?.problem("probe names must be unique: \(names.joined(separator: ", "))") }
        } else if node["probes"] == nil {
            node.problem("missing 'probes'")
        }
        let interval = node["interval"]?.seconds() ?? 0.2
        if interval < 0.001 { node["interval"]?.problem("the probe interval must be at least 1ms") }
        return SteadyState(probes: probes, interval: max(interval, 0.001),
                           healthyAfter: node["healthy_after"]?.int(in: RecoveryAnalyzer.healthyStreakRange) ?? 3,
                           before: node["before"]?.seconds() ?? 5, after: node["after"]?.seconds() ?? 10,
                           tolerance: node["tolerance"].flatMap(ratio) ?? 0)
    }

    /// Probe SLOs, and the `source: load` ones with their nodes (their phases are checked
    /// once the steps are known).
    private static func slos(_ node: ConfigNode?) -> ([ServiceLevelObjectives], [(ConfigNode, LoadObjective)]) {
        guard let node else { return ([], []) }
        let entries: [ConfigNode] = node.node.sequence != nil ? (node.items() ?? []) : [node]
        var probes: [ServiceLevelObjectives] = []
        var load: [(ConfigNode, LoadObjective)] = []
        for e in entries where e.entries() != nil {
            if e["source"]?.choice(["probes", "load"]) == "load" {
                load.append((e, LoadSpecParser.objective(e)))
                continue
            }
            e.checkKeys(["source", "max_error_rate", "p95_ms", "p99_ms", "recover_within", "phases"])
            var phases: [String]?
            if let list = e["phases"]?.items() { phases = list.compactMap { $0.choice(ExperimentPhase.names) } }
            probes.append(ServiceLevelObjectives(maxErrorRate: e["max_error_rate"].flatMap(ratio),
                                                 p95Milliseconds: e["p95_ms"]?.double(in: 0...3_600_000),
                                                 p99Milliseconds: e["p99_ms"]?.double(in: 0...3_600_000),
                                                 recoverWithin: e["recover_within"]?.seconds(), phases: phases))
        }
        return (probes, load)
    }

    private static func steps(_ node: ConfigNode?, context: ExperimentContext, required: Bool, root: ConfigNode,
                              field: String) -> [PlannedStep] {
        guard let node else {
            if required { root.diagnostics.report(line: root.line, field: field, value: nil, "missing: list the steps to run") }
            return []
        }
        guard let items = node.items() else { return [] }
        var out: [PlannedStep] = []
        for (index, item) in items.enumerated() {
            guard let entries = item.entries() else { continue }
            let kinds = context.actions.keys + ["wait"]
            item.checkKeys(Set(kinds + ["name", "duration"]))
            let present = entries.map(\.key).filter { kinds.contains($0) }
            guard present.count == 1, let key = present.first, let body = item[key] else {
                item.problem("a step needs exactly one of: \(kinds.joined(separator: ", "))")
                continue
            }
            let duration = item["duration"]?.seconds()
            let name = item["name"]?.string() ?? "\(field)[\(index)] \(key)"
            if key == "wait" {
                if let seconds = body.seconds() { out.append(PlannedStep(name: name, line: item.line, action: .wait(seconds))) }
                continue
            }
            if let action = context.actions.parsers[key]!(body, duration, context) {
                out.append(PlannedStep(name: name, line: item.line, action: action))
            }
        }
        return out
    }
}
