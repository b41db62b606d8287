import ChaosCore
import ChaosHTTP
import Foundation

/// What a DELETE of one pod did.
public enum KubeDeleteOutcome: Sendable, Equatable {
    /// Accepted (with dryRun=All: would be). The grace period the server applied.
    case deleted(gracePeriodSeconds: Int?)
    /// 409 on the UID precondition: a pod of that name exists but it is a replacement.
    case alreadyReplaced(message: String)
    /// 404: the pod is gone already.
    case alreadyGone
}

/// What an Eviction did.
public enum KubeEvictionOutcome: Sendable, Equatable {
    /// 201 (with dryRun=All: would be).
    case evicted
    /// 429: a PodDisruptionBudget forbids it now. `message` includes the budget's cause.
    case blockedByDisruptionBudget(message: String, retryAfterSeconds: Int?)
    case alreadyReplaced(message: String)
    case alreadyGone
}

/// The server's `/version`.
public struct KubeVersion: Sendable, Equatable {
    public var major: Int
    public var minor: Int
    public var gitVersion: String

    /// policy/v1 Eviction is served from Kubernetes 1.22 on.
    public var supportsPolicyV1Eviction: Bool { major > 1 || (major == 1 && minor >= 22) }
}

/// Pod operations over `KubeClient`, shaped like the kube-apiserver answers them.
extension KubeClient {
    /// `/api/v1/namespaces/NS/pods` or, with nil, the cluster-wide `/api/v1/pods`.
    public static func podsPath(namespace: String?) -> String {
        namespace.map { "/api/v1/namespaces/\(encode($0))/pods" } ?? "/api/v1/pods"
    }

    public func version() throws -> KubeVersion {
        let object = try get(KubeVersionObject.self, "/version")
        // Minor may carry a suffix on managed clusters ("27+").
        let digits = { (s: String?) in Int((s ?? "").prefix { $0.isNumber }) }
        guard let major = digits(object.major), let minor = digits(object.minor) else {
            throw ChaosError("GET /version: no major/minor version in the answer", exitCode: .failure)
        }
        return KubeVersion(major: major, minor: minor, gitVersion: object.gitVersion ?? "v\(major).\(minor)")
    }

    /// List pods matching the selectors in one namespace (or all, with nil).
    public func listPods(namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil) throws -> KubePodList {
        let path = Self.path(Self.podsPath(namespace: namespace),
                             query: [("labelSelector", labelSelector.nonEmpty), ("fieldSelector", fieldSelector.nonEmpty)])
        return KubePodList(try get(KubePodListObject.self, path))
    }

    /// One pod as it is now; nil when it does not exist (404).
    public func pod(namespace: String, name: String) throws -> KubePod? {
        let path = Self.podsPath(namespace: namespace) + "/" + Self.encode(name)
        let response = try send(method: "GET", path)
        if response.status == 404 { return nil }
        guard let pod = KubePod(try decoded(KubePodObject.self, response, method: "GET", path: path)) else {
            throw ChaosError("GET \(path): the pod has no name or uid", exitCode: .failure)
        }
        return pod
    }

    /// DELETE one pod, only if it still has `pod.uid` (a precondition, so a replacement
    /// that reused the name is never hit). `gracePeriodSeconds` nil: the pod's own.
    ///
    /// Every option travels in the DeleteOptions body and none in the query: a
    /// kube-apiserver that receives a body decodes DeleteOptions from it and never reads
    /// the query (apiserver `handlers/delete.go`, DeleteResource), so a `?dryRun=All`
    /// next to a body is a real delete.
    public func deletePod(_ pod: KubePod, gracePeriodSeconds: Int?, dryRun: Bool) throws -> KubeDeleteOutcome {
        let path = Self.podsPath(namespace: pod.namespace) + "/" + Self.encode(pod.name)
        var body = Self.deleteOptions(uid: pod.uid, gracePeriodSeconds: gracePeriodSeconds, dryRun: dryRun)
        body.apiVersion = "v1"
        body.kind = "DeleteOptions"
        let response = try send(method: "DELETE", path, body: body)
        switch response.status {
        case 200, 202:
            // The answer is the pod as it now is (terminating), or a Status when it went at once.
            let object = try? response.decode(KubePodObject.self)
            return .deleted(gracePeriodSeconds: object?.metadata?.deletionGracePeriodSeconds)
        case 404: return .alreadyGone
        case 409: return .alreadyReplaced(message: error(response, method: "DELETE", path: path).message)
        default: throw error(response, method: "DELETE", path: path)
        }
    }

    /// POST a policy/v1 Eviction for `pod` (the API-initiated eviction that honours
    /// PodDisruptionBudgets).
    public func evictPod(_ pod: KubePod, gracePeriodSeconds: Int?, dryRun: Bool) throws -> KubeEvictionOutcome {
        let path = Self.podsPath(namespace: pod.namespace) + "/" + Self.encode(pod.name) + "/eviction"
        let body = KubeEviction(metadata: KubeObjectMeta(name: pod.name, namespace: pod.namespace),
                                deleteOptions: Self.deleteOptions(uid: pod.uid, gracePeriodSeconds: gracePeriodSeconds,
                                                                  dryRun: dryRun))
        let response = try send(method: "POST", path, body: body)
        switch response.status {
        case 200, 201: return .evicted
        case 404: return .alreadyGone
        case 409: return .alreadyReplaced(message: error(response, method: "POST", path: path).message)
        case 429:
            let failure = error(response, method: "POST", path: path)
            let retry = (try? response.decode(KubeStatusObject.self))?.details?.retryAfterSeconds
            let message = ([failure.message] + failure.causes).joined(separator: " ")
            return .blockedByDisruptionBudget(message: message, retryAfterSeconds: retry)
        default: throw error(response, method: "POST", path: path)
        }
    }

    /// DeleteOptions fields: the UID precondition, the dry run and the grace period.
    static func deleteOptions(uid: String, gracePeriodSeconds: Int?, dryRun: Bool) -> KubeDeleteOptions {
        KubeDeleteOptions(preconditions: .init(uid: uid), dryRun: dryRun ? ["All"] : nil, gracePeriodSeconds: gracePeriodSeconds)
    }

    /// Watch pods from `resourceVersion`; `onEvent` returns false to stop.
    public func watchPods(namespace: String?, labelSelector: String?, fieldSelector: String?, resourceVersion: String,
                          timeout: Double, token: CancellationToken? = nil,
                          onEvent: @escaping (KubeWatchEvent) -> Bool) throws {
        // timeoutSeconds makes the server end the stream too, so neither side waits forever.
        let serverTimeout = max(1, Int(timeout.rounded(.up)))
        let path = Self.path(Self.podsPath(namespace: namespace),
                             query: [("watch", "1"), ("labelSelector", labelSelector.nonEmpty),
                                     ("fieldSelector", fieldSelector.nonEmpty),
                                     ("resourceVersion", resourceVersion.nonEmpty),
                                     ("timeoutSeconds", String(serverTimeout))])
        try watch(path, as: KubePodWatchLine.self, timeout: timeout + 5, token: token) { line in
            let event = KubeWatchEvent(type: line.type,
                                       pod: line.pod.flatMap(KubePod.init),
                                       resourceVersion: line.pod?.metadata?.resourceVersion ?? "",
                                       errorCode: line.error?.code)
            return onEvent(event)
        }
    }
}

fileprivate extension Optional where Wrapped == String {
    var nonEmpty: String? { self.flatMap { $0.isEmpty ? nil : $0 } }
}

fileprivate extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
