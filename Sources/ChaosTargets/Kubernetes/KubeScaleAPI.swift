import ChaosCore
import Foundation

/// A Deployment or StatefulSet, as `scale` names it (`deployment/NAME`).
public struct KubeWorkloadRef: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case deployment, statefulset
        /// The resource in the URL.
        var resource: String { self == .deployment ? "deployments" : "statefulsets" }
        /// The kind an HPA's scaleTargetRef names.
        var kindName: String { self == .deployment ? "Deployment" : "StatefulSet" }
    }
    public var kind: Kind
    public var name: String

    public init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// `deployment/NAME`, `deploy/NAME`, `statefulset/NAME` or `sts/NAME`, as kubectl spells them.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        let kinds: [String: Kind] = ["deployment": .deployment, "deployments": .deployment, "deploy": .deployment,
                                     "statefulset": .statefulset, "statefulsets": .statefulset, "sts": .statefulset]
        guard parts.count == 2, let kind = kinds[parts[0].lowercased()], !parts[1].isEmpty else {
            throw ChaosError("give the workload as deployment/NAME or statefulset/NAME", exitCode: .usage)
        }
        self.init(kind: kind, name: parts[1])
    }

    public var description: String { "\(kind.rawValue)/\(name)" }
}

/// A workload's scale subresource: its replica count and the resourceVersion it was read at.
public struct KubeScale: Sendable, Equatable {
    public var replicas: Int
    public var resourceVersion: String
    public var uid: String
}

/// An autoscaler that targets a workload.
public struct KubeAutoscaler: Sendable, Equatable {
    public var name: String
    public var minReplicas: Int?
    public var maxReplicas: Int?
}

extension KubeClient {
    static func scalePath(_ ref: KubeWorkloadRef, namespace: String) -> String {
        "/apis/apps/v1/namespaces/\(encode(namespace))/\(ref.kind.resource)/\(encode(ref.name))/scale"
    }

    /// GET …/scale; nil when the workload does not exist.
    public func scale(of ref: KubeWorkloadRef, namespace: String) throws -> KubeScale? {
        let path = Self.scalePath(ref, namespace: namespace)
        let response = try send(method: "GET", path)
        if response.status == 404 { return nil }
        return Self.scale(try decoded(KubeScaleObject.self, response, method: "GET", path: path))
    }

    /// What a PUT of the scale did.
    public enum ScaleOutcome: Equatable, Sendable {
        case scaled(KubeScale)
        /// 409: the workload changed since `current` was read.
        case changedSince
        case gone
    }

    /// PUT …/scale with the resourceVersion read before, so a change in between is a 409
    /// and not overwritten. dryRun in the query (UpdateOptions are read from there).
    public func setScale(of ref: KubeWorkloadRef, namespace: String, replicas: Int, current: KubeScale,
                         dryRun: Bool) throws -> ScaleOutcome {
        let path = Self.path(Self.scalePath(ref, namespace: namespace), query: [("dryRun", dryRun ? "All" : nil)])
        let body = KubeScaleObject(metadata: KubeObjectMeta(name: ref.name, namespace: namespace,
                                                            resourceVersion: current.resourceVersion),
                                   spec: .init(replicas: replicas))
        let response = try send(method: "PUT", path, body: body)
        switch response.status {
        case 404: return .gone
        case 409: return .changedSince
        default: return .scaled(Self.scale(try decoded(KubeScaleObject.self, response, method: "PUT", path: path)))
        }
    }

    private static func scale(_ object: KubeScaleObject) -> KubeScale {
        KubeScale(replicas: object.spec?.replicas ?? 0, resourceVersion: object.metadata?.resourceVersion ?? "",
                  uid: object.metadata?.uid ?? "")
    }

    /// The autoscaling/v2 HorizontalPodAutoscalers of `namespace` whose scaleTargetRef is `ref`.
    public func autoscalers(targeting ref: KubeWorkloadRef, namespace: String) throws -> [KubeAutoscaler] {
        let path = "/apis/autoscaling/v2/namespaces/\(Self.encode(namespace))/horizontalpodautoscalers"
        return (try get(KubeHPAListObject.self, path).items ?? []).compactMap { item in
            guard item.spec?.scaleTargetRef?.kind == ref.kind.kindName, item.spec?.scaleTargetRef?.name == ref.name else { return nil }
            return KubeAutoscaler(name: item.metadata?.name ?? "?", minReplicas: item.spec?.minReplicas,
                                  maxReplicas: item.spec?.maxReplicas)
        }
    }
}
