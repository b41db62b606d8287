import ChaosConfig
import ChaosCore
import ChaosProxyAPI
import Foundation

/// `toxic:` and `proxy:` steps: Toxiproxy-compatible faults (chaosctl's server or a real
/// Toxiproxy) as held faults, reverted when the step's `duration` ends.
///
/// ```yaml
/// - toxic: {api: http://127.0.0.1:8474, proxy: pg, type: latency, stream: downstream,
///           toxicity: 1, attributes: {latency: 100, jitter: 10}}
///   duration: 30s
/// - proxy: {api: http://127.0.0.1:8474, name: pg, enabled: false}   # pg down
///   duration: 10s
/// ```
/// The bearer token, if the server needs one, comes from `CHAOSCTL_PROXY_TOKEN`.
enum ProxyActions {
    static let defaultAPI = "http://127.0.0.1:8474"
    static let streams = ["upstream", "downstream"]

    static func parseToxic(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard node.entries() != nil else { return nil }
        node.checkKeys(["api", "proxy", "name", "type", "stream", "toxicity", "attributes"])
        let proxy = node["proxy"]?.string()
        let type = node["type"]?.string()
        if proxy == nil { node.problem("a toxic step needs 'proxy' (the proxy's name)") }
        if type == nil { node.problem("a toxic step needs 'type' (latency, bandwidth, …)") }
        let stream = node["stream"].map { $0.choice(streams) } ?? "downstream"
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
        // The toxic's own seed (chaosctl's extension attribute; Toxiproxy ignores it), derived
        // from the run's seed and the step's place in the file unless the step sets one.
        if attributes[ToxicDecoding.seedAttribute] == nil, let runSeed = context.seed {
            let seed = SeedDerivation.seed(runSeed, for: node.path) & UInt64(ToxicDecoding.maximumSeed)
            attributes[ToxicDecoding.seedAttribute] = Int64(seed)
        }
        let fault = ToxicFault(endpoint: endpoint(node), proxy: proxy, name: node["name"]?.string(), type: type,
                               stream: stream, toxicity: toxicity, attributes: attributes)
        return .fault(fault, duration: duration)
    }

    static func parseProxy(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
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
        return .fault(ProxyDownFault(endpoint: endpoint(node), name: name), duration: duration)
    }

    private static func endpoint(_ node: ConfigNode) -> ToxiproxyEndpoint {
        ToxiproxyEndpoint(api: node["api"]?.string() ?? defaultAPI,
                          token: ProcessInfo.processInfo.environment[ToxiproxyEndpoint.tokenVariable])
    }
}
