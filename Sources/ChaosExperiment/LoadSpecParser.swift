import ChaosConfig
import ChaosLoad

/// The `load:` section and the `source: load` SLOs of an experiment file.
enum LoadSpecParser {
    /// `load: COMMAND`, or `load: {command, prefer, warmup, results, recovery}`.
    static func load(_ node: ConfigNode, baseDirectory: String) -> LoadSpec? {
        if case .scalar = node.node, let command = node.string() { return LoadSpec(command: command) }
        guard node.entries() != nil else { return nil }
        node.checkKeys(["command", "prefer", "warmup", "results", "recovery"])
        guard let command = node["command"]?.string() else {
            node.problem("load needs a 'command'")
            return nil
        }
        var spec = LoadSpec(command: command, warmup: node["warmup"]?.seconds() ?? 0)
        if let prefer = node["prefer"] { spec.preferred = preferred(prefer) }
        if let results = node["results"] { spec.results = jsonl(results, baseDirectory: baseDirectory) }
        if let recovery = node["recovery"], recovery.entries() != nil {
            recovery.checkKeys(["window", "windows"])
            if let window = recovery["window"]?.seconds() {
                if window < 0.1 { recovery["window"]?.problem("a recovery window must be at least 100ms") }
                spec.recoveryWindowSeconds = max(window, 0.1)
            }
            spec.recoveryWindows = recovery["windows"]?.int(in: 1...100) ?? spec.recoveryWindows
        }
        return spec
    }

    /// `prefer: [COMMAND, …]`: plain command lines, since their program is looked up on PATH.
    private static func preferred(_ node: ConfigNode) -> [String] {
        guard let items = node.items() else {
            node.problem("prefer takes a list of command lines, tried in order")
            return []
        }
        return items.compactMap { item in
            guard let command = item.string() else { return nil }
            guard let words = ShellWords.split(command), !words.isEmpty else {
                item.problem("a preferred load command must be a plain command line (no pipes, variables or several commands): " +
                             "its program is looked up on PATH", value: command)
                return nil
            }
            return command
        }
    }

    /// `results: {file, timestamp, timestamp_unit, latency, latency_unit, success | status, name}`.
    private static func jsonl(_ node: ConfigNode, baseDirectory: String) -> JSONLResults? {
        guard node.entries() != nil else {
            node.problem("results needs file, timestamp, latency and success or status")
            return nil
        }
        node.checkKeys(["file", "timestamp", "timestamp_unit", "latency", "latency_unit", "success", "status", "name"])
        let units = JSONLFieldMapping.TimeUnit.allCases.map(\.rawValue)
        let file = node["file"]?.string()
        let timestamp = node["timestamp"]?.string()
        let latency = node["latency"]?.string()
        let timestampUnit = node["timestamp_unit"]?.choice(units).flatMap(JSONLFieldMapping.TimeUnit.init) ?? .rfc3339
        let latencyUnit = node["latency_unit"]?.choice(units.filter { $0 != "rfc3339" }).flatMap(JSONLFieldMapping.TimeUnit.init)
            ?? .milliseconds
        for (key, value) in [("file", file), ("timestamp", timestamp), ("latency", latency)] where value == nil && node[key] == nil {
            node.problem("results needs '\(key)'")
        }
        var verdict: JSONLFieldMapping.Verdict?
        switch (node["success"]?.string(), node["status"]?.string()) {
        case (let field?, nil): verdict = .success(field: field)
        case (nil, let field?): verdict = .status(field: field)
        case (.some, .some): node.problem("results takes one of 'success' and 'status', not both")
        case (nil, nil): node.problem("results needs 'success' (a boolean field) or 'status' (an HTTP status field)")
        }
        guard let file, let timestamp, let latency, let verdict else { return nil }
        let path = file.hasPrefix("/") ? file : baseDirectory + "/" + file
        return JSONLResults(path: path, mapping: JSONLFieldMapping(timestamp: timestamp, timestampUnit: timestampUnit,
                                                                  latency: latency, latencyUnit: latencyUnit,
                                                                  verdict: verdict, name: node["name"]?.string()))
    }

    /// One `slo` entry with `source: load`. Its phases are checked against the steps later.
    static func objective(_ e: ConfigNode) -> LoadObjective {
        e.checkKeys(["source", "max_error_rate", "p95_ms", "p99_ms", "recover_within", "phases", "name"])
        let objective = LoadObjective(maxErrorRate: e["max_error_rate"].flatMap(ExperimentParser.ratio),
                                      p95Milliseconds: e["p95_ms"]?.double(in: 0...3_600_000),
                                      p99Milliseconds: e["p99_ms"]?.double(in: 0...3_600_000),
                                      recoverWithin: e["recover_within"]?.seconds(),
                                      phases: e["phases"]?.items()?.compactMap { $0.string() },
                                      requestName: e["name"]?.string())
        if objective.maxErrorRate == nil && objective.p95Milliseconds == nil && objective.p99Milliseconds == nil
            && objective.recoverWithin == nil {
            e.problem("a load SLO needs max_error_rate, p95_ms, p99_ms or recover_within")
        }
        if objective.recoverWithin != nil, let phases = e["phases"] {
            phases.problem("an SLO with recover_within judges the recovery after every fault; give phase limits in another entry")
        }
        return objective
    }

    /// A load SLO's phases must be `pre`, `during`, `post` or a method step's name: any other
    /// name would match no phase and check nothing.
    static func checkPhases(_ entries: [(ConfigNode, LoadObjective)], steps: [PlannedStep]) {
        let known = ExperimentPhase.names + steps.map(\.name)
        for (node, objective) in entries {
            for name in objective.phases ?? [] where !known.contains(name) {
                node["phases"]?.problem("unknown phase '\(name)': use pre, during, post or a method step's name (\(steps.map(\.name).joined(separator: ", ")))",
                                        value: name)
            }
        }
    }
}
