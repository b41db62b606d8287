import ChaosCore
import ChaosTargets
import ChaosTestSupport
import Foundation
import XCTest

/// The cluster the node, scale and partition tests act on: three nodes, pods on node-2 of
/// every kind a drain tells apart, two workloads (one under an HPA), and RBAC for
/// chaos-agent as a chaos ClusterRole would grant it; `nobody` may do nothing.
enum KubeFaultScenario {
    static func make(unmanagedPodOnNode2: Bool = false, pdbMinAvailable: Int? = nil) -> [String: Any] {
        var pods: [[String: Any]] = [
            Scenario.pod("api-1", app: "api", node: "node-2", replicaSet: "api-rs"),
            Scenario.pod("api-2", app: "api", node: "node-1", replicaSet: "api-rs"),
            Scenario.pod("web-1", app: "web", node: "node-2").merging(["ownerKind": "StatefulSet", "ownerName": "web"]) { $1 },
            Scenario.pod("web-2", app: "web", node: "node-1").merging(["ownerKind": "StatefulSet", "ownerName": "web"]) { $1 },
            Scenario.pod("fluentd-x", app: "fluentd", node: "node-2").merging(["ownerKind": "DaemonSet", "ownerName": "fluentd"]) { $1 },
            Scenario.pod("etcd-node-2", app: "etcd", node: "node-2").merging(["annotations": ["kubernetes.io/config.mirror": "abc"]]) { $1 },
            Scenario.pod("redis-0", app: "redis", node: "node-1").merging(["ownerKind": "StatefulSet", "ownerName": "redis"]) { $1 },
        ]
        if unmanagedPodOnNode2 { pods.append(Scenario.pod("debug", app: "debug", node: "node-2")) }
        let pdbs: [[String: Any]] = pdbMinAvailable.map {
            [["namespace": "chaos", "name": "web-pdb", "matchLabels": ["app": "web"], "minAvailable": $0]]
        } ?? []
        var s = Scenario.base(pods: pods, replicaSets: [["namespace": "chaos", "name": "api-rs", "labels": ["app": "api"]]], pdbs: pdbs)
        s["kubeletNodes"] = ["node-1", "node-2", "node-3"]
        let cluster = NSNull()
        s["rules"] = (s["rules"] as! [[String: Any]]) + [
            ["user": "chaos-agent", "namespace": cluster, "resource": "nodes", "verbs": ["get", "list", "patch"]],
            ["user": "chaos-agent", "namespace": cluster, "resource": "pods", "verbs": ["list"]],
            ["user": "chaos-agent", "namespace": cluster, "resource": "pods/eviction", "verbs": ["create"]],
            ["user": "chaos-agent", "namespace": "chaos", "resource": "deployments/scale", "verbs": ["get", "update"]],
            ["user": "chaos-agent", "namespace": "chaos", "resource": "statefulsets/scale", "verbs": ["get", "update"]],
            ["user": "chaos-agent", "namespace": "chaos", "resource": "horizontalpodautoscalers", "verbs": ["list"]],
            ["user": "chaos-agent", "namespace": "chaos", "resource": "networkpolicies", "verbs": ["get", "list", "create", "delete"]],
        ]
        s["nodes"] = [["name": "node-1", "labels": ["pool": "main"]], ["name": "node-2", "labels": ["pool": "spot"]],
                      ["name": "node-3", "labels": ["pool": "spot"]]]
        s["workloads"] = [["kind": "Deployment", "namespace": "chaos", "name": "api", "replicas": 3, "matchLabels": ["app": "api"]],
                          ["kind": "StatefulSet", "namespace": "chaos", "name": "redis", "replicas": 1, "matchLabels": ["app": "redis"]]]
        s["hpas"] = [["namespace": "chaos", "name": "api-hpa", "targetKind": "Deployment", "targetName": "api",
                      "minReplicas": 2, "maxReplicas": 5]]
        return s
    }
}

extension KubeDouble {
    /// A kubeconfig for `token`'s user, namespace chaos.
    func kubeconfig(token: String = Scenario.chaosToken) throws -> String {
        let path = pki.directory + "/kubeconfig-\(token)-\(port)"
        try """
        apiVersion: v1
        kind: Config
        current-context: t
        clusters:
        - name: double
          cluster: {server: "\(server)", certificate-authority: \(pki.caCert)}
        users:
        - name: u
          user: {token: \(token)}
        contexts:
        - name: t
          context: {cluster: double, user: u, namespace: chaos}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The object at `path` as the admin sees it (nil on 404).
    func object(_ path: String) throws -> [String: Any]? {
        let response = try client(token: Scenario.adminToken).send(method: "GET", path)
        if response.status == 404 { return nil }
        XCTAssertEqual(response.status, 200, response.text)
        return try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
    }

    /// PATCH as the admin (someone else changing the object).
    func adminPatch(_ path: String, _ patch: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: patch)
        let response = try client(token: Scenario.adminToken).send(
            method: "PATCH", path, body: RawJSON(data: data), contentType: "application/merge-patch+json")
        XCTAssertEqual(response.status, 200, response.text)
    }

    func nodeIsCordoned(_ name: String) throws -> Bool {
        let node = try XCTUnwrap(try object("/api/v1/nodes/\(name)"))
        return ((node["spec"] as? [String: Any])?["unschedulable"] as? Bool) == true
    }

    func nodeAnnotations(_ name: String) throws -> [String: String] {
        let node = try XCTUnwrap(try object("/api/v1/nodes/\(name)"))
        return ((node["metadata"] as? [String: Any])?["annotations"] as? [String: String]) ?? [:]
    }

    /// The node's taints as "key=value:effect".
    func nodeTaints(_ name: String) throws -> [String] {
        let node = try XCTUnwrap(try object("/api/v1/nodes/\(name)"))
        let taints = ((node["spec"] as? [String: Any])?["taints"] as? [[String: Any]]) ?? []
        return taints.map { "\($0["key"] ?? "")=\($0["value"] ?? ""):\($0["effect"] ?? "")" }
    }

    func replicas(_ resource: String, _ name: String) throws -> Int? {
        let scale = try object("/apis/apps/v1/namespaces/chaos/\(resource)/\(name)/scale")
        return scale.map { (($0["spec"] as? [String: Any])?["replicas"] as? Int) ?? 0 }
    }

    func policies() throws -> [[String: Any]] {
        (try object("/apis/networking.k8s.io/v1/namespaces/chaos/networkpolicies")?["items"] as? [[String: Any]]) ?? []
    }

    func podNames() throws -> Set<String> {
        let list = try object("/api/v1/pods")?["items"] as? [[String: Any]] ?? []
        return Set(list.compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String })
    }
}

/// A body already encoded.
struct RawJSON: Encodable {
    let data: Data
    func encode(to encoder: Encoder) throws {
        let object = try JSONSerialization.jsonObject(with: data)
        var container = encoder.singleValueContainer()
        try container.encode(AnyJSON(object))
    }
}

private struct AnyJSON: Encodable {
    let value: Any
    init(_ value: Any) { self.value = value }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case let d as [String: Any]: try c.encode(d.mapValues(AnyJSON.init))
        case let a as [Any]: try c.encode(a.map(AnyJSON.init))
        case let s as String: try c.encode(s)
        case let b as Bool: try c.encode(b)
        case let n as Int: try c.encode(n)
        case is NSNull: try c.encodeNil()
        default: try c.encode("\(value)")
        }
    }
}

/// Runs a blocking fault run on another thread; `wait` returns its result.
final class Background<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Error>?

    init(_ body: @escaping () throws -> T) {
        Thread.detachNewThread { [self] in
            result = Result { try body() }
            done.signal()
        }
    }

    func wait(timeout: Double = 30) throws -> T {
        guard done.wait(timeout: .now() + timeout) == .success, let result else {
            throw ChaosError("the run did not finish within \(timeout)s")
        }
        return try result.get()
    }
}

/// Poll until `condition` holds (bounded; the double answers in milliseconds).
func eventually(_ what: String, timeout: Double = 10, _ condition: () throws -> Bool) throws {
    if try !pollUntil(timeout: timeout, every: 0.05, condition) { XCTFail("never happened: \(what)") }
}
