import ChaosCore
import Foundation

/// The fields of a Node that cordon and drain use.
public struct KubeNode: Sendable, Equatable {
    public var name: String
    public var uid: String
    public var resourceVersion: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var unschedulable: Bool
    public var taints: [KubeTaint]

    init?(_ object: KubeNodeObject) {
        guard let name = object.metadata?.name, let uid = object.metadata?.uid else { return nil }
        self.name = name
        self.uid = uid
        resourceVersion = object.metadata?.resourceVersion ?? ""
        labels = object.metadata?.labels ?? [:]
        annotations = object.metadata?.annotations ?? [:]
        unschedulable = object.spec?.unschedulable ?? false
        taints = object.spec?.taints ?? []
    }
}

/// Node operations over `KubeClient` (nodes are cluster-scoped: `/api/v1/nodes`).
extension KubeClient {
    static func nodePath(_ name: String) -> String { "/api/v1/nodes/" + encode(name) }

    public func listNodes(labelSelector: String? = nil) throws -> [KubeNode] {
        let path = Self.path("/api/v1/nodes", query: [("labelSelector", labelSelector)])
        return (try get(KubeNodeListObject.self, path).items ?? []).compactMap(KubeNode.init)
    }

    /// nil when the node does not exist (404).
    public func node(_ name: String) throws -> KubeNode? {
        let path = Self.nodePath(name)
        let response = try send(method: "GET", path)
        if response.status == 404 { return nil }
        guard let node = KubeNode(try decoded(KubeNodeObject.self, response, method: "GET", path: path)) else {
            throw ChaosError("GET \(path): the node has no name or uid", exitCode: .failure)
        }
        return node
    }

    /// What a cordon PATCH did.
    public enum NodePatchOutcome: Equatable, Sendable {
        case patched(KubeNode)
        /// 409: the node changed since `resourceVersion` was read.
        case changedSince
        case gone
    }

    /// Set or clear `spec.unschedulable` and chaosctl's annotation, and write `taints`
    /// (nil: leave them), with a JSON merge patch that carries the resourceVersion read
    /// before (a stale one is 409, not a blind write). `dryRun` goes in the query:
    /// PatchOptions are read from there, never from the body.
    func patchCordon(_ node: KubeNode, cordon: KubeNodeCordonPatch.Cordon, annotation: String, taints: [KubeTaint]? = nil,
                     dryRun: Bool) throws -> NodePatchOutcome {
        let path = Self.path(Self.nodePath(node.name), query: [("dryRun", dryRun ? "All" : nil)])
        let patch = KubeNodeCordonPatch(resourceVersion: node.resourceVersion, annotation: annotation,
                                        cordon: cordon, taints: taints)
        let response = try send(method: "PATCH", path, body: patch, contentType: "application/merge-patch+json")
        switch response.status {
        case 404: return .gone
        case 409: return .changedSince
        default:
            guard let patched = KubeNode(try decoded(KubeNodeObject.self, response, method: "PATCH", path: path)) else {
                throw ChaosError("PATCH \(path): the answer has no node", exitCode: .failure)
            }
            return .patched(patched)
        }
    }
}
