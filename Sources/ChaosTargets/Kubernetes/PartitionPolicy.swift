import ChaosCore

/// Which traffic a partition cuts, and the NetworkPolicy that does it. NetworkPolicies only
/// allow (a selected pod's traffic in a policy's direction is denied unless a rule allows
/// it), so "cut only the peer" or "cut only the port" is written as "allow everything
/// else": every pod (in any namespace) that does not match the peer selector, and every
/// port but the one cut (port ranges with `endPort`, Kubernetes 1.25+).
public struct PartitionSpec: Equatable, Sendable {
    public enum Direction: String, Sendable, CaseIterable {
        case ingress, egress, both
    }
    /// The pods isolated (equality-based labels: a policy's podSelector).
    public var podLabels: [String: String]
    /// Only traffic with pods matching these labels is cut (nil: all traffic).
    public var peerLabels: [String: String]?
    /// Only this port is cut (nil: every port).
    public var port: Int?
    public var direction: Direction

    public init(podLabels: [String: String], peerLabels: [String: String]? = nil, port: Int? = nil, direction: Direction = .both) {
        self.podLabels = podLabels
        self.peerLabels = peerLabels
        self.port = port
        self.direction = direction
    }

    /// `k=v,k2=v2` (or `==`): the only selectors a policy's matchLabels can hold.
    public static func labels(_ selector: String) throws -> [String: String] {
        var labels: [String: String] = [:]
        for part in selector.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            let pair = text.contains("==") ? text.components(separatedBy: "==") : text.components(separatedBy: "=")
            guard pair.count == 2, !pair[0].isEmpty, !pair[0].contains("!"), !pair[1].isEmpty else {
                throw ChaosError("a partition selector is key=value[,key=value] (a NetworkPolicy's matchLabels)", exitCode: .usage)
            }
            labels[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        if labels.isEmpty { throw ChaosError("give at least one key=value label", exitCode: .usage) }
        return labels
    }

    /// The policy, named and labelled as chaosctl's own.
    func policy(name: String, faultID: String) -> KubeNetworkPolicyObject {
        let ingress = direction != .egress
        let egress = direction != .ingress
        let peers = allowedPeers()
        let ports = allowedPorts()
        return KubeNetworkPolicyObject(
            metadata: KubeObjectMeta(name: name, labels: [PartitionFault.managedByLabel: "chaosctl", PartitionFault.faultLabel: faultID]),
            spec: .init(podSelector: KubeLabelSelector(matchLabels: podLabels),
                        policyTypes: (ingress ? ["Ingress"] : []) + (egress ? ["Egress"] : []),
                        ingress: ingress ? rules(peers, ports).map { .init(from: $0.peers, ports: $0.ports) } : nil,
                        egress: egress ? rules(peers, ports).map { .init(to: $0.peers, ports: $0.ports) } : nil))
    }

    /// Every pod not matching the peer: one peer per label, since a pod fails to match the
    /// peer as soon as one label differs (NotIn also matches pods without the key).
    private func allowedPeers() -> [KubeNetworkPolicyObject.Peer]? {
        peerLabels.map { labels in
            labels.sorted { $0.key < $1.key }.map { key, value in
                .init(podSelector: KubeLabelSelector(matchExpressions: [.init(key: key, operator: "NotIn", values: [value])]),
                      namespaceSelector: KubeLabelSelector())
            }
        }
    }

    private func allowedPorts() -> [KubeNetworkPolicyObject.Port]? {
        port.map { cut in
            let ranges = [(1, cut - 1), (cut + 1, 65535)].filter { $0.0 <= $0.1 }
            return ["TCP", "UDP"].flatMap { proto in
                ranges.map { KubeNetworkPolicyObject.Port(protocol: proto, port: $0.0, endPort: $0.1 > $0.0 ? $0.1 : nil) }
            }
        }
    }

    /// No peer and no port: no rule, everything cut. Otherwise traffic is allowed from the
    /// non-peers on any port, or from anyone on the other ports.
    private func rules(_ peers: [KubeNetworkPolicyObject.Peer]?,
                       _ ports: [KubeNetworkPolicyObject.Port]?) -> [(peers: [KubeNetworkPolicyObject.Peer]?, ports: [KubeNetworkPolicyObject.Port]?)] {
        switch (peers, ports) {
        case (nil, nil): return []
        case (let peers?, nil): return [(peers, nil)]
        case (nil, let ports?): return [(nil, ports)]
        case (let peers?, let ports?): return [(peers, nil), (nil, ports)]
        }
    }

    public var summary: String {
        let what = port.map { "port \($0)" } ?? "all traffic"
        let with = peerLabels.map { " with pods " + $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") } ?? ""
        return "\(what)\(with) cut (\(direction.rawValue))"
    }
}
