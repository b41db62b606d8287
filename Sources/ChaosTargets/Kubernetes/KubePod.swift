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
    /// The kind of the controller that manages the pod (ReplicaSet, DaemonSet, …), if any.
    public var controllerKind: String?
    /// A static pod's mirror (annotation `kubernetes.io/config.mirror`): the API cannot delete it.
    public var isMirror = false

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

    /// Build from a Pod as the server sent it; nil if it lacks name or uid.
    init?(_ object: KubePodObject) {
        let meta = object.metadata
        guard let name = meta?.name, let uid = meta?.uid else { return nil }
        let ready = object.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
        self.init(namespace: meta?.namespace ?? "",
                  name: name, uid: uid,
                  resourceVersion: meta?.resourceVersion ?? "",
                  labels: meta?.labels ?? [:],
                  phase: object.status?.phase ?? "Unknown",
                  terminating: meta?.deletionTimestamp != nil,
                  ready: ready,
                  nodeName: object.spec?.nodeName)
        controllerKind = meta?.ownerReferences?.first { $0.controller == true }?.kind
        isMirror = meta?.annotations?["kubernetes.io/config.mirror"] != nil
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

    /// From a PodList as the server sent it; items without name or uid are left out.
    init(_ object: KubePodListObject) {
        self.init(pods: (object.items ?? []).compactMap(KubePod.init), resourceVersion: object.metadata?.resourceVersion ?? "")
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
