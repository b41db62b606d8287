import ChaosCore
import Foundation

/// A NetworkPolicy as the server stored it: what a revert needs to delete exactly it.
public struct KubeStoredPolicy: Sendable, Equatable {
    public var name: String
    public var uid: String
    public var labels: [String: String]
}

extension KubeClient {
    static func policiesPath(namespace: String) -> String {
        "/apis/networking.k8s.io/v1/namespaces/\(encode(namespace))/networkpolicies"
    }

    /// POST the policy (dryRun in the query: CreateOptions are read from there).
    func createPolicy(_ policy: KubeNetworkPolicyObject, namespace: String, dryRun: Bool) throws -> KubeStoredPolicy {
        let path = Self.path(Self.policiesPath(namespace: namespace), query: [("dryRun", dryRun ? "All" : nil)])
        let object = try decoded(KubeNetworkPolicyObject.self, try send(method: "POST", path, body: policy),
                                 method: "POST", path: path)
        return KubeStoredPolicy(name: object.metadata.name ?? "", uid: object.metadata.uid ?? "",
                                labels: object.metadata.labels ?? [:])
    }

    /// nil when there is no policy of that name.
    public func policy(named name: String, namespace: String) throws -> KubeStoredPolicy? {
        let path = Self.policiesPath(namespace: namespace) + "/" + Self.encode(name)
        let response = try send(method: "GET", path)
        if response.status == 404 { return nil }
        let object = try decoded(KubeNetworkPolicyObject.self, response, method: "GET", path: path)
        return KubeStoredPolicy(name: name, uid: object.metadata.uid ?? "", labels: object.metadata.labels ?? [:])
    }

    /// DELETE the policy only if it still has `uid`: DeleteOptions in the body (where the
    /// server reads them when there is a body), the UID as a precondition.
    public func deletePolicy(named name: String, uid: String, namespace: String, dryRun: Bool = false) throws -> KubeDeleteOutcome {
        let path = Self.policiesPath(namespace: namespace) + "/" + Self.encode(name)
        var body = Self.deleteOptions(uid: uid, gracePeriodSeconds: nil, dryRun: dryRun)
        body.apiVersion = "v1"
        body.kind = "DeleteOptions"
        let response = try send(method: "DELETE", path, body: body)
        switch response.status {
        case 200, 202: return .deleted(gracePeriodSeconds: nil)
        case 404: return .alreadyGone
        case 409: return .alreadyReplaced(message: error(response, method: "DELETE", path: path).message)
        default: throw error(response, method: "DELETE", path: path)
        }
    }
}
