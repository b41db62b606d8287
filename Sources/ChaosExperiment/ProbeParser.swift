import ChaosConfig
import ChaosProbe
import Foundation

/// `steady_state.probes[]` entries → probes. One kind key per probe:
/// `http`, `tcp`, `command` or `prometheus`.
enum ProbeParser {
    static func parse(_ node: ConfigNode, context: ExperimentContext) -> Probe? {
        guard node.entries() != nil else { return nil }
        let kinds = ["http", "tcp", "command", "prometheus"]
        node.checkKeys(Set(kinds + ["name"]))
        let present = kinds.filter { node[$0] != nil }
        guard present.count == 1, let kind = present.first, let body = node[kind] else {
            node.problem("a probe needs exactly one of \(kinds.joined(separator: ", "))")
            return nil
        }
        let name = node["name"]?.string()
        do {
            switch kind {
            case "http": return try http(body, name: name, context: context)
            case "tcp": return tcp(body, name: name)
            case "command": return try command(body, name: name)
            default: return try prometheus(body, name: name, context: context)
            }
        } catch {
            body.problem("\(error)")
            return nil
        }
    }

    private static func http(_ node: ConfigNode, name: String?, context: ExperimentContext) throws -> Probe? {
        if case .scalar = node.node, let url = node.string() {
            return try transport(node, context).map { try HTTPProbe(name: name, request: ProbeHTTPRequest(url: url), transport: $0) }
        }
        guard node.entries() != nil else { return nil }
        node.checkKeys(["url", "method", "headers", "body", "status", "body_regex", "max_latency", "timeout"])
        guard let url = node["url"]?.string() else { node.problem("an http probe needs 'url'"); return nil }
        var headers: [(name: String, value: String)] = []
        for (k, v) in node["headers"]?.entries() ?? [] { if let s = v.string() { headers.append((k, s)) } }
        let request = ProbeHTTPRequest(method: node["method"]?.string()?.uppercased() ?? "GET", url: url, headers: headers,
                                       body: node["body"]?.string().map { Data($0.utf8) })
        var status = StatusExpectation.success
        if let s = node["status"] {
            let text = s.node.int.map(String.init) ?? s.string() ?? ""
            do { status = try StatusExpectation(text) } catch { s.problem("\(error)") }
        }
        guard let t = try transport(node, context) else { return nil }
        return try HTTPProbe(name: name, request: request, transport: t, expectedStatus: status,
                             bodyPattern: node["body_regex"]?.string(), maxLatency: node["max_latency"]?.seconds(defaultUnit: "ms"),
                             timeout: node["timeout"]?.seconds() ?? 2)
    }

    private static func transport(_ node: ConfigNode, _ context: ExperimentContext) throws -> HTTPProbeTransport? {
        guard let t = context.httpTransport else {
            node.problem("HTTP probes need an HTTP client, which this build does not provide")
            return nil
        }
        return t
    }

    private static func tcp(_ node: ConfigNode, name: String?) -> Probe? {
        var address: String?
        var timeout = 1.0
        if case .scalar = node.node { address = node.string() } else if node.entries() != nil {
            node.checkKeys(["address", "timeout"])
            address = node["address"]?.string()
            timeout = node["timeout"]?.seconds() ?? timeout
        }
        guard let address, let colon = address.lastIndex(of: ":"),
              let port = UInt16(address[address.index(after: colon)...]) else {
            node.problem("a tcp probe needs 'address: host:port'")
            return nil
        }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return TCPProbe(name: name, host: host, port: port, timeout: timeout)
    }

    private static func command(_ node: ConfigNode, name: String?) throws -> Probe? {
        if case .scalar = node.node, let run = node.string() {
            return try CommandProbe(name: name, invocation: .shell(run))
        }
        guard node.entries() != nil else { return nil }
        node.checkKeys(["run", "exit_codes", "stdout_regex", "timeout"])
        guard let run = node["run"]?.string() else { node.problem("a command probe needs 'run'"); return nil }
        var codes: Set<Int32> = [0]
        if let list = node["exit_codes"]?.items() { codes = Set(list.compactMap { $0.int(in: 0...255).map(Int32.init) }) }
        return try CommandProbe(name: name, invocation: .shell(run), expectedExitCodes: codes,
                                stdoutPattern: node["stdout_regex"]?.string(), timeout: node["timeout"]?.seconds() ?? 5)
    }

    private static func prometheus(_ node: ConfigNode, name: String?, context: ExperimentContext) throws -> Probe? {
        guard node.entries() != nil else { return nil }
        node.checkKeys(["url", "query", "condition", "quantifier", "empty_is_healthy", "timeout"])
        guard let url = node["url"]?.string(), let query = node["query"]?.string(),
              let conditionText = node["condition"]?.string() else {
            node.problem("a prometheus probe needs 'url', 'query' and 'condition' (e.g. '< 0.01')")
            return nil
        }
        let condition: NumericCondition
        do { condition = try NumericCondition(conditionText) } catch { node["condition"]?.problem("\(error)"); return nil }
        var quantifier = PrometheusProbe.Quantifier.all
        if let q = node["quantifier"]?.choice(["all", "any"]) { quantifier = PrometheusProbe.Quantifier(rawValue: q) ?? .all }
        guard let t = try transport(node, context) else { return nil }
        return PrometheusProbe(name: name, baseURL: url, query: query, condition: condition, transport: t,
                               quantifier: quantifier, emptyIsHealthy: node["empty_is_healthy"]?.bool() ?? false,
                               timeout: node["timeout"]?.seconds() ?? 2)
    }
}
