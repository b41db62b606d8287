import ChaosConfig
import ChaosCore
import ChaosProxyModel
import Foundation

/// The experiment steps of this module: Toxiproxy-compatible faults (chaosctl's server or a
/// real Toxiproxy) as held faults, reverted when the step's `duration` ends. ChaosExperiment
/// registers each parser under its key; a parser returns nil after reporting its problems
/// on the node.
///
/// ```yaml
/// - toxic: {api: http://127.0.0.1:8474, proxy: pg, type: latency, stream: downstream,
///           toxicity: 1, attributes: {latency: 100, jitter: 10}}
///   duration: 30s
/// - proxy: {api: http://127.0.0.1:8474, name: pg, enabled: false}   # pg down
///   duration: 10s
/// ```
/// The bearer token, if the server needs one, comes from `CHAOSCTL_PROXY_TOKEN`.
public enum ToxiproxySteps {
    public static let defaultAPI = "http://127.0.0.1:8474"

    /// A `toxic:` step. Unless the step sets `attributes.seed`, the toxic gets a seed derived
    /// from `runSeed` and the step's place in the file, so a run can be repeated.
    public static func toxic(_ node: ConfigNode, runSeed: UInt64?) -> ToxicFault? {
        guard node.entries() != nil else { return nil }
        node.checkKeys(["api", "proxy", "name", "type", "stream", "toxicity", "attributes"])
        let proxy = node["proxy"]?.string()
        let type = node["type"]?.string()
        if proxy == nil { node.problem("a toxic step needs 'proxy' (the proxy's name)") }
        if type == nil { node.problem("a toxic step needs 'type' (latency, bandwidth, …)") }
        let stream = node["stream"].map { $0.choice(ToxicOptions.streams) } ?? "downstream"
        let toxicity = node["toxicity"].map { $0.double(in: 0...1) } ?? 1
        var attributes: [String: Int64] = [:]
        var attributesValid = true
        if let entries = node["attributes"]?.entries() {
            for (key, value) in entries {
                guard let number = value.int() else { attributesValid = false; continue }
                attributes[key] = Int64(number)
            }
        }
        guard let proxy, let type, let stream, let toxicity, attributesValid else { return nil }
        if attributes[ToxicSeed.attribute] == nil, let runSeed {
            attributes[ToxicSeed.attribute] = Int64(SeedDerivation.seed(runSeed, for: node.path) & UInt64(ToxicSeed.maximum))
        }
        let options = ToxicOptions(proxy: proxy, name: node["name"]?.string(), type: type, stream: stream,
                                   toxicity: toxicity, attributes: attributes)
        let problems = options.problems()
        for problem in problems {
            // Reported on the field itself ("method.[0].toxic.attributes.latecy") when it is in the file.
            let field = problem.field.split(separator: ".").reduce(Optional(node)) { $0?[String($1)] }
            (field ?? node).problem(problem.message)
        }
        return problems.isEmpty ? ToxicFault(endpoint: endpoint(node), options: options) : nil
    }

    /// A `proxy:` step: only `enabled: false` (the proxy down for the step's duration).
    public static func proxyDown(_ node: ConfigNode) -> ProxyDownFault? {
        guard node.entries() != nil else { return nil }
        node.checkKeys(["api", "name", "enabled"])
        let name = node["name"]?.string()
        if name == nil { node.problem("a proxy step needs 'name'") }
        let enabled = node["enabled"]?.bool()
        if let enabledNode = node["enabled"], enabled == true {
            enabledNode.problem("only 'enabled: false' (take the proxy down for the step's duration) is a fault")
        } else if node["enabled"] == nil {
            node.problem("a proxy step needs 'enabled: false'")
        }
        guard let name, enabled == false else { return nil }
        return ProxyDownFault(endpoint: endpoint(node), name: name)
    }

    private static func endpoint(_ node: ConfigNode) -> ToxiproxyEndpoint {
        ToxiproxyEndpoint(api: node["api"]?.string() ?? defaultAPI,
                          token: ProcessInfo.processInfo.environment[ToxiproxyEndpoint.tokenVariable])
    }
}
