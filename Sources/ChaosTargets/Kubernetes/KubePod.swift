import Foundation

/// The fields of a v1 Pod that chaos selection and recovery need.
public struct KubePod: Sendable, Equatable, Hashable {
    public var namespace: String
    public var name: String
    public var uid: String
    public var resourceVersion: String
    public var labels: [String: String]
    /// status.phase: Pending, Running, Succeeded, Failed, Unknown.
    public var phase: String
    /// metadata.deletionTimestamp is set: the pod is already terminating.
    public var terminating: Bool
    /// The Ready condition is True.
    public var ready: Bool
    public var nodeName: String?

    public init(namespace: String, name: String, uid: String, resourceVersion: String = "", labels: [String: String] = [:],
                phase: String = "Running", terminating: Bool = false, ready: Bool = true, nodeName: String? = nil) {
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.labels = labels
        self.phase = phase
        self.terminating = terminating
        self.ready = ready
        self.nodeName = nodeName
    }

    /// "namespace/name".
    public var id: String { "\(namespace)/\(name)" }

    /// Running, Ready and not terminating: what counts as serving for recovery.
    public var isServing: Bool { phase == "Running" && ready && !terminating }

    /// Build from a decoded JSON Pod object; nil if it lacks name or uid.
    public init?(json: [String: Any]) {
        let meta = json["metadata"] as? [String: Any] ?? [:]
        let status = json["status"] as? [String: Any] ?? [:]
        let spec = json["spec"] as? [String: Any] ?? [:]
        guard let name = meta["name"] as? String, let uid = meta["uid"] as? String else { return nil }
        let conditions = status["conditions"] as? [[String: Any]] ?? []
        let ready = conditions.contains { $0["type"] as? String == "Ready" && $0["status"] as? String == "True" }
        let deletion = meta["deletionTimestamp"]
        self.init(namespace: meta["namespace"] as? String ?? "",
                  name: name, uid: uid,
                  resourceVersion: meta["resourceVersion"] as? String ?? "",
                  labels: meta["labels"] as? [String: String] ?? [:],
                  phase: status["phase"] as? String ?? "Unknown",
                  terminating: deletion != nil && !(deletion is NSNull),
                  ready: ready,
                  nodeName: spec["nodeName"] as? String)
    }
}

/// A PodList: the pods and the list's resourceVersion (where a watch starts).
public struct KubePodList: Sendable {
    public var pods: [KubePod]
    public var resourceVersion: String
    public init(pods: [KubePod], resourceVersion: String) {
        self.pods = pods
        self.resourceVersion = resourceVersion
    }
}

/// One line of a watch stream.
public struct KubeWatchEvent: Sendable {
    /// ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.
    public var type: String
    /// nil for BOOKMARK and ERROR events.
    public var pod: KubePod?
    /// The object's resourceVersion (for BOOKMARK the only field it carries).
    public var resourceVersion: String
    /// For ERROR: the Status object's code (410 Gone means "re-list").
    public var errorCode: Int?
}
