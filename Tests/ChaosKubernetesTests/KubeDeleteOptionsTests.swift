import ChaosCore
import ChaosHTTP
import ChaosTargets
import Foundation
import XCTest

/// Where DELETE and Eviction take their options from, against a double that follows the
/// real handler (kubernetes-delete-options.md; apiserver handlers/delete.go DeleteResource;
/// pod storage eviction.go). web-1 is bound to a node with no kubelet, so a graceful
/// delete leaves it Terminating with the grace period the server applied (transcript A5).
final class KubeDeleteOptionsTests: KubeDoubleTestCase {
    private func pod(_ client: KubeClient, _ name: String) throws -> [String: Any]? {
        let response = try client.send(method: "GET", "/api/v1/namespaces/chaos/pods/\(name)")
        if response.status == 404 { return nil }
        XCTAssertEqual(response.status, 200, response.text)
        return try response.jsonObject() as? [String: Any]
    }

    private func deletion(_ object: [String: Any]?) -> (timestamp: Bool, grace: Int?) {
        let meta = object?["metadata"] as? [String: Any] ?? [:]
        return (meta["deletionTimestamp"] != nil, meta["deletionGracePeriodSeconds"] as? Int)
    }

    // MARK: the client (fails before the fix: options were in the query, next to a body)

    func testKillDryRunChangesNothingAndGraceZeroRemovesAtOnce() throws {
        let d = try start()
        let admin = d.client(token: Scenario.adminToken)
        let client = d.client(token: Scenario.chaosToken)
        let web1 = try XCTUnwrap(client.listPods(namespace: "chaos", fieldSelector: "metadata.name=web-1").pods.first)

        XCTAssertEqual(try client.deletePod(web1, gracePeriodSeconds: 0, dryRun: true), .deleted(gracePeriodSeconds: 0))
        XCTAssertFalse(deletion(try pod(admin, "web-1")).timestamp, "a dry-run kill must leave the pod untouched")

        XCTAssertEqual(try client.deletePod(web1, gracePeriodSeconds: 0, dryRun: false), .deleted(gracePeriodSeconds: 0))
        XCTAssertNil(try pod(admin, "web-1"), "grace period 0 must reach the server: the pod is removed at once")

        // Without a grace period the pod's own 30 s applies, and the server says so.
        let web2 = try XCTUnwrap(client.listPods(namespace: "chaos", fieldSelector: "metadata.name=web-2").pods.first)
        XCTAssertEqual(try client.deletePod(web2, gracePeriodSeconds: nil, dryRun: false), .deleted(gracePeriodSeconds: 30))
        XCTAssertEqual(deletion(try pod(admin, "web-2")).grace, 30)
    }

    // MARK: the double follows the real handler

    func testABodyWinsAndTheQueryBesideItIsIgnored() throws {
        let d = try start()
        let admin = d.client(token: Scenario.adminToken)
        let web1 = try XCTUnwrap(try pod(admin, "web-1"))
        let uid = (web1["metadata"] as? [String: Any])?["uid"] as? String ?? ""
        // kubernetes-delete-options.md, "Query and body": the query's dryRun and grace 0 are
        // ignored, so a bound pod gets its own 30 s and stays Terminating.
        let response = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1?dryRun=All&gracePeriodSeconds=0",
                                      json: ["apiVersion": "v1", "kind": "DeleteOptions", "preconditions": ["uid": uid]])
        XCTAssertEqual(response.status, 200, response.text)
        let after = deletion(try pod(admin, "web-1"))
        XCTAssertTrue(after.timestamp, "really deleted: no dry run")
        XCTAssertEqual(after.grace, 30, "the query's gracePeriodSeconds=0 was ignored")
        // "Query only": without a body the query is honoured.
        let dry = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-2?dryRun=All")
        XCTAssertEqual(dry.status, 200, dry.text)
        XCTAssertFalse(deletion(try pod(admin, "web-2")).timestamp, "bodyless dryRun=All changes nothing")
        let now = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-2?gracePeriodSeconds=0&unknownParameter=1")
        XCTAssertEqual(now.status, 200, now.text)
        XCTAssertNil(try pod(admin, "web-2"), "bodyless gracePeriodSeconds=0 removes at once; unknown parameters are ignored")
    }

    func testDeleteOptionsAreValidatedAsTheRealServerDoes() throws {
        let d = try start()
        let admin = d.client(token: Scenario.adminToken)
        // ValidateDryRun: only "All"; 422 Invalid with the NotSupported cause, from a body or a query.
        let lower = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1", json: ["dryRun": ["all"]])
        XCTAssertEqual(lower.status, 422, lower.text)
        XCTAssertEqual(admin.error(lower, method: "DELETE", path: "p").message,
                       #"DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"all"}: supported values: "All""#)
        let query = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1?dryRun=Yes")
        XCTAssertEqual(query.status, 422, query.text)
        // A query integer that does not parse is a 400; a body that is not DeleteOptions fails to decode.
        let grace = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1?gracePeriodSeconds=soon")
        XCTAssertEqual(grace.status, 400, grace.text)
        let kind = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1", json: ["kind": "Pod", "apiVersion": "v1"])
        XCTAssertEqual(kind.status, 500, kind.text)
        let text = try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1", json: ["gracePeriodSeconds": "0"])
        XCTAssertEqual(text.status, 500, text.text)
        XCTAssertFalse(deletion(try pod(admin, "web-1")).timestamp, "no rejected request may delete")
        // RBAC comes before any of that: a forbidden user gets 403 even for a bad body.
        let nobody = try d.client(token: Scenario.nobodyToken)
            .send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1", json: ["dryRun": ["all"]])
        XCTAssertEqual(nobody.status, 403, nobody.text)
        // A method the route does not serve is 405, a path nothing serves 404.
        XCTAssertEqual(try admin.send(method: "POST", "/api/v1/namespaces/chaos/pods/web-1", json: [:]).status, 405)
        XCTAssertEqual(try admin.send(method: "GET", "/api/v1/namespaces/chaos/widgets").status, 404)
    }

    func testAShorterGraceMovesATerminatingPodsDeadlineAndALongerOneDoesNot() throws {
        let d = try start()
        let admin = d.client(token: Scenario.adminToken)
        XCTAssertEqual(try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1", json: ["gracePeriodSeconds": 20]).status, 200)
        XCTAssertEqual(try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1", json: ["gracePeriodSeconds": 40]).status, 200)
        XCTAssertEqual(deletion(try pod(admin, "web-1")).grace, 20, "a longer grace never extends a deletion (BeforeDelete)")
        XCTAssertEqual(try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1", json: ["gracePeriodSeconds": 5]).status, 200)
        XCTAssertEqual(deletion(try pod(admin, "web-1")).grace, 5)
        XCTAssertEqual(try admin.send(method: "DELETE", "/api/v1/namespaces/chaos/pods/web-1", json: ["gracePeriodSeconds": 0]).status, 200)
        XCTAssertNil(try pod(admin, "web-1"), "transcript A5: grace 0 on a Terminating pod removes it")
    }

    func testEvictionTakesDryRunFromTheQueryTooAndChecksTheName() throws {
        let d = try start()
        let client = d.client(token: Scenario.chaosToken)
        let admin = d.client(token: Scenario.adminToken)
        let eviction: [String: Any] = ["apiVersion": "policy/v1", "kind": "Eviction",
                                       "metadata": ["name": "db-0", "namespace": "chaos"]]
        // propagateDryRun: the create's dryRun query fills in deleteOptions.dryRun.
        let dry = try client.send(method: "POST", "/api/v1/namespaces/chaos/pods/db-0/eviction?dryRun=All", json: eviction)
        XCTAssertEqual(dry.status, 201, dry.text)
        XCTAssertFalse(deletion(try pod(admin, "db-0")).timestamp, "a dry-run eviction changes nothing")
        let conflicting = eviction.merging(["deleteOptions": ["dryRun": ["Other"]]]) { $1 }
        XCTAssertEqual(try client.send(method: "POST", "/api/v1/namespaces/chaos/pods/db-0/eviction?dryRun=All", json: conflicting).status, 500)
        XCTAssertEqual(try client.send(method: "POST", "/api/v1/namespaces/chaos/pods/db-0/eviction?dryRun=all", json: eviction).status, 422)
        let wrongName = try client.send(method: "POST", "/api/v1/namespaces/chaos/pods/web-1/eviction", json: eviction)
        XCTAssertEqual(wrongName.status, 400)
        XCTAssertTrue(wrongName.text.contains("name in URL does not match name in Eviction object"), wrongName.text)
        XCTAssertFalse(deletion(try pod(admin, "web-1")).timestamp)
        XCTAssertFalse(deletion(try pod(admin, "db-0")).timestamp)
    }
}
