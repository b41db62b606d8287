import Foundation

// The objects of node, scale and partition faults as they come over the wire (names as in
// k8s.io/api core/v1, autoscaling/v1, autoscaling/v2, networking/v1), only the fields used.

/// core/v1 Node.
struct KubeNodeObject: Decodable {
    struct Spec: Decodable {
        var unschedulable: Bool?
        var taints: [KubeTaint]?
    }
    var metadata: KubeObjectMeta?
    var spec: Spec?
}

/// core/v1 NodeList.
struct KubeNodeListObject: Decodable {
    var items: [KubeNodeObject]?
}

/// core/v1 Taint. `timeAdded` is set by the server for NoExecute taints.
public struct KubeTaint: Codable, Equatable, Sendable {
    public var key: String
    public var value: String?
    public var effect: String
    public var timeAdded: String?
}

/// A JSON merge patch (RFC 7386) of a Node's cordon and taints, guarded by
/// `metadata.resourceVersion` (the server answers 409 when the node changed since it was
/// read, so a list written whole never drops a taint added in between).
struct KubeNodeCordonPatch: Encodable {
    enum Cordon { case set(by: String), clear, keep }

    var resourceVersion: String
    var annotation: String
    /// `set`: `spec.unschedulable` true and the annotation; `clear` removes both (the field
    /// is `omitempty`, as `kubectl uncordon` leaves it); `keep` touches neither.
    var cordon: Cordon
    /// The whole new `spec.taints` (a merge patch replaces lists); empty removes the field;
    /// nil leaves it as it is.
    var taints: [KubeTaint]?

    private enum Keys: String, CodingKey { case metadata, spec, resourceVersion, annotations, unschedulable, taints }
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        var root = encoder.container(keyedBy: Keys.self)
        var metadata = root.nestedContainer(keyedBy: Keys.self, forKey: .metadata)
        try metadata.encode(resourceVersion, forKey: .resourceVersion)
        var spec = root.nestedContainer(keyedBy: Keys.self, forKey: .spec)
        switch cordon {
        case .set(let by):
            var annotations = metadata.nestedContainer(keyedBy: Key.self, forKey: .annotations)
            try annotations.encode(by, forKey: Key(stringValue: annotation))
            try spec.encode(true, forKey: .unschedulable)
        case .clear:
            var annotations = metadata.nestedContainer(keyedBy: Key.self, forKey: .annotations)
            try annotations.encodeNil(forKey: Key(stringValue: annotation))
            try spec.encodeNil(forKey: .unschedulable)
        case .keep: break
        }
        if let taints {
            if taints.isEmpty { try spec.encodeNil(forKey: .taints) } else { try spec.encode(taints, forKey: .taints) }
        }
    }
}

/// autoscaling/v1 Scale: a workload's replica count through its scale subresource.
struct KubeScaleObject: Codable {
    struct Spec: Codable {
        var replicas: Int?
    }
    struct Status: Codable {
        var replicas: Int?
        var selector: String?
    }
    var apiVersion: String? = "autoscaling/v1"
    var kind: String? = "Scale"
    var metadata: KubeObjectMeta?
    var spec: Spec?
    var status: Status?
}

/// autoscaling/v2 HorizontalPodAutoscalerList.
struct KubeHPAListObject: Decodable {
    struct Target: Decodable {
        var kind: String?
        var name: String?
    }
    struct Spec: Decodable {
        var scaleTargetRef: Target?
        var minReplicas: Int?
        var maxReplicas: Int?
    }
    struct Item: Decodable {
        var metadata: KubeObjectMeta?
        var spec: Spec?
    }
    var items: [Item]?
}

/// meta/v1 LabelSelector.
struct KubeLabelSelector: Codable, Equatable {
    struct Requirement: Codable, Equatable {
        var key: String
        var `operator`: String
        var values: [String]?
    }
    var matchLabels: [String: String]?
    var matchExpressions: [Requirement]?
}

/// networking/v1 NetworkPolicy.
struct KubeNetworkPolicyObject: Codable {
    struct Peer: Codable, Equatable {
        var podSelector: KubeLabelSelector?
        /// Empty: every namespace; absent: the policy's own.
        var namespaceSelector: KubeLabelSelector?
    }
    struct Port: Codable, Equatable {
        var `protocol`: String?
        var port: Int?
        var endPort: Int?
    }
    struct IngressRule: Codable, Equatable {
        var from: [Peer]?
        var ports: [Port]?
    }
    struct EgressRule: Codable, Equatable {
        var to: [Peer]?
        var ports: [Port]?
    }
    struct Spec: Codable, Equatable {
        var podSelector: KubeLabelSelector
        var policyTypes: [String]
        var ingress: [IngressRule]?
        var egress: [EgressRule]?
    }
    var apiVersion: String? = "networking.k8s.io/v1"
    var kind: String? = "NetworkPolicy"
    var metadata: KubeObjectMeta
    var spec: Spec
}
