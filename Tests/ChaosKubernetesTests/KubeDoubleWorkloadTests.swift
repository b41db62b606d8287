import ChaosCore
import ChaosHTTP
import ChaosTargets
import Foundation
import XCTest

/// The double's node, scale and NetworkPolicy handlers are no more lenient than the
/// server code they cite: patch media types, dryRun values, resourceVersion and UID
/// preconditions, validation, RBAC before anything is read.
final class KubeDoubleWorkloadTests: KubeDoubleTestCase {
    private func patch(_ client: KubeClient, _ path: String, _ body: [String: Any], type: String) throws -> HTTPResponse {
        try client.send(method: "PATCH", path, body: RawJSON(data: try JSONSerialization.data(withJSONObject: body)), contentType: type)
    }

    func testNodePatchMediaTypesDryRunAndResourceVersion() throws {
        let d = try start(KubeFaultScenario.make())
        let admin = d.client(token: Scenario.adminToken)
        let cordon: [String: Any] = ["spec": ["unschedulable": true]]
        // handlers/patch.go PatchResource: a body that is not a patch type is 415.
        XCTAssertEqual(try patch(admin, "/api/v1/nodes/node-3", cordon, type: "application/json").status, 415)
        // PatchOptions come from the query: dryRun=All stores nothing, other values are 422.
        XCTAssertEqual(try patch(admin, "/api/v1/nodes/node-3?dryRun=All", cordon, type: "application/merge-patch+json").status, 200)
        XCTAssertFalse(try d.nodeIsCordoned("node-3"))
        XCTAssertEqual(try patch(admin, "/api/v1/nodes/node-3?dryRun=Some", cordon, type: "application/merge-patch+json").status, 422)
        // A stale resourceVersion in the patch is a 409; the current one goes through.
        let stale: [String: Any] = ["metadata": ["resourceVersion": "1"], "spec": ["unschedulable": true]]
        let conflict = try patch(admin, "/api/v1/nodes/node-3", stale, type: "application/strategic-merge-patch+json")
        XCTAssertEqual(conflict.status, 409, conflict.text)
        XCTAssertTrue(conflict.text.contains("the object has been modified"), conflict.text)
        XCTAssertEqual(try patch(admin, "/api/v1/nodes/node-3", cordon, type: "application/strategic-merge-patch+json").status, 200)
        XCTAssertTrue(try d.nodeIsCordoned("node-3"))
        // null removes (RFC 7386), and an omitempty false field vanishes.
        XCTAssertEqual(try patch(admin, "/api/v1/nodes/node-3", ["spec": ["unschedulable": NSNull()]], type: "application/merge-patch+json").status, 200)
        let node = try XCTUnwrap(try d.object("/api/v1/nodes/node-3"))
        XCTAssertNil((node["spec"] as? [String: Any])?["unschedulable"])
        // RBAC first: nobody's patch is 403 whatever the body.
        let forbidden = try patch(d.client(token: Scenario.nobodyToken), "/api/v1/nodes/node-3", cordon, type: "text/plain")
        XCTAssertEqual(forbidden.status, 403)
        XCTAssertTrue(forbidden.text.contains(#"cannot patch resource \"nodes\" in API group \"\" at the cluster scope"#), forbidden.text)
    }

    func testScaleSubresourcePreconditionsValidationAndDryRun() throws {
        let d = try start(KubeFaultScenario.make())
        let admin = d.client(token: Scenario.adminToken)
        let path = "/apis/apps/v1/namespaces/chaos/deployments/api/scale"
        XCTAssertEqual(try admin.send(method: "PUT", path, json: ["metadata": ["name": "api", "resourceVersion": "1"],
                                                                   "spec": ["replicas": 1]]).status, 409)
        XCTAssertEqual(try admin.send(method: "PUT", path, json: ["metadata": ["name": "api"], "spec": ["replicas": -1]]).status, 422)
        XCTAssertEqual(try admin.send(method: "PUT", path, json: ["metadata": ["name": "web"], "spec": ["replicas": 1]]).status, 400)
        XCTAssertEqual(try admin.send(method: "PUT", path + "?dryRun=All", json: ["metadata": ["name": "api"], "spec": ["replicas": 1]]).status, 200)
        XCTAssertEqual(try d.replicas("deployments", "api"), 3)
        let missing = try admin.send(method: "GET", "/apis/apps/v1/namespaces/chaos/deployments/nope/scale")
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.text.contains(#"deployments.apps \"nope\" not found"#), missing.text)
    }

    func testNetworkPolicyCreateConflictAndDeletePreconditions() throws {
        let d = try start(KubeFaultScenario.make())
        let admin = d.client(token: Scenario.adminToken)
        let base = "/apis/networking.k8s.io/v1/namespaces/chaos/networkpolicies"
        let policy: [String: Any] = ["metadata": ["name": "p"], "spec": ["podSelector": [String: Any](), "policyTypes": ["Ingress"]]]
        XCTAssertEqual(try admin.send(method: "POST", base + "?dryRun=All", json: policy).status, 201)
        XCTAssertTrue(try d.policies().isEmpty)
        XCTAssertEqual(try admin.send(method: "POST", base, json: policy).status, 201)
        let taken = try admin.send(method: "POST", base, json: policy)
        XCTAssertEqual(taken.status, 409)
        XCTAssertTrue(taken.text.contains("AlreadyExists"), taken.text)
        let wrongUID = try admin.send(method: "DELETE", base + "/p", json: ["preconditions": ["uid": "00000000-0000-0000-0000-000000000000"]])
        XCTAssertEqual(wrongUID.status, 409, wrongUID.text)
        // BeforeDelete names the group-qualified Kind (GroupResource{gvk.Group, gvk.Kind}).
        XCTAssertTrue(wrongUID.text.contains(#"Operation cannot be fulfilled on NetworkPolicy.networking.k8s.io \"p\""#), wrongUID.text)
        let details = (try JSONSerialization.jsonObject(with: Data(wrongUID.text.utf8)) as? [String: Any])?["details"] as? [String: String]
        XCTAssertEqual(details, ["name": "p", "group": "networking.k8s.io", "kind": "NetworkPolicy"])
        // A body's DeleteOptions win over the query (handlers/delete.go DeleteResource).
        XCTAssertEqual(try admin.send(method: "DELETE", base + "/p?dryRun=All", json: ["kind": "DeleteOptions"]).status, 200)
        XCTAssertTrue(try d.policies().isEmpty, "the query's dryRun next to a body is ignored: really deleted")
    }

    /// scaleUpdatedObjectInfo.UpdatedObject validates the Scale, then checks its UID, and
    /// only then does the store's optimistic lock compare resourceVersions.
    func testScaleUpdateChecksReplicasThenUIDThenResourceVersion() throws {
        let d = try start(KubeFaultScenario.make())
        let admin = d.client(token: Scenario.adminToken)
        let path = "/apis/apps/v1/namespaces/chaos/deployments/api/scale"
        let invalid = try admin.send(method: "PUT", path, json: ["metadata": ["name": "api", "resourceVersion": "1",
                                                                             "uid": "00000000-0000-0000-0000-000000000000"],
                                                                "spec": ["replicas": -1]])
        XCTAssertEqual(invalid.status, 422, invalid.text)
        XCTAssertTrue(invalid.text.contains(#"Scale.autoscaling \"api\" is invalid: spec.replicas"#), invalid.text)
        let uid = try admin.send(method: "PUT", path, json: ["metadata": ["name": "api", "resourceVersion": "1",
                                                                         "uid": "00000000-0000-0000-0000-000000000000"],
                                                            "spec": ["replicas": 1]])
        XCTAssertEqual(uid.status, 409, uid.text)
        XCTAssertTrue(uid.text.contains(#"Operation cannot be fulfilled on deployments/scale.apps \"api\": Precondition failed: UID in precondition"#),
                      uid.text)
        XCTAssertEqual(try d.replicas("deployments", "api"), 3)
    }

    /// ValidateDeleteOptions: orphanDependents and propagationPolicy together are 422.
    func testDeleteOptionsWithOrphanAndPropagationAreInvalid() throws {
        let d = try start(KubeFaultScenario.make())
        let admin = d.client(token: Scenario.adminToken)
        let both = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/api-1",
                                  json: ["kind": "DeleteOptions", "orphanDependents": true, "propagationPolicy": "Background"])
        XCTAssertEqual(both.status, 422, both.text)
        XCTAssertTrue(both.text.contains("orphanDependents and deletionPropagation cannot be both set"), both.text)
        XCTAssertTrue(try d.podNames().contains("api-1"))
    }

    /// EvictionREST.Create lets an unready pod go while the budget has its desired healthy
    /// pods before it looks at the budget's state, so an unprocessed budget blocks only
    /// the Ready pods.
    func testUnreadyPodIsEvictedEvenWhileTheBudgetIsUnprocessed() throws {
        let pods = [Scenario.pod("web-1", app: "web"), Scenario.pod("web-2", app: "web"),
                    Scenario.pod("web-3", app: "web", ready: false)]
        let pdb: [String: Any] = ["namespace": "chaos", "name": "web-pdb", "matchLabels": ["app": "web"], "minAvailable": 1,
                                  "processed": false]
        let d = try start(Scenario.base(pods: pods, pdbs: [pdb]))
        let admin = d.client(token: Scenario.adminToken)
        func evict(_ name: String) throws -> HTTPResponse {
            try admin.send(method: "POST", "/api/v1/namespaces/chaos/pods/\(name)/eviction",
                           json: ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": name, "namespace": "chaos"]])
        }
        let ready = try evict("web-1")
        XCTAssertEqual(ready.status, 429, ready.text)
        XCTAssertTrue(ready.text.contains("is still being processed by the server"), ready.text)
        XCTAssertEqual(try evict("web-3").status, 201)
    }

    /// conversion.go's field labels: a Node has metadata.name and spec.unschedulable only;
    /// a Pod has spec.hostNetwork among its own.
    func testFieldSelectorsFollowEachKindsFieldLabels() throws {
        let d = try start(KubeFaultScenario.make())
        let admin = d.client(token: Scenario.adminToken)
        try d.adminPatch("/api/v1/nodes/node-3", ["spec": ["unschedulable": true]])
        func names(_ path: String) throws -> [String] {
            let response = try admin.send(method: "GET", path)
            XCTAssertEqual(response.status, 200, response.text)
            let items = (try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])?["items"] as? [[String: Any]]
            return (items ?? []).compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String }
        }
        XCTAssertEqual(try names("/api/v1/nodes?fieldSelector=spec.unschedulable%3Dtrue"), ["node-3"])
        XCTAssertEqual(try names("/api/v1/nodes?fieldSelector=metadata.name!%3Dnode-1"), ["node-2", "node-3"])
        let unsupported = try admin.send(method: "GET", "/api/v1/nodes?fieldSelector=status.phase%3DReady")
        XCTAssertEqual(unsupported.status, 400)
        XCTAssertTrue(unsupported.text.contains("field label not supported: status.phase"), unsupported.text)
        XCTAssertEqual(try names("/api/v1/namespaces/chaos/pods?fieldSelector=spec.hostNetwork%3Dtrue"), [])
        XCTAssertTrue(try names("/api/v1/namespaces/chaos/pods?fieldSelector=spec.hostNetwork%3Dfalse").contains("api-1"))
    }
}
