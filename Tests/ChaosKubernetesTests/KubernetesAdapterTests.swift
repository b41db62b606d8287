import ChaosCore
import ChaosHTTP
import ChaosTargets
import Foundation
import XCTest

/// The adapter against the kube-apiserver double over real TLS.
final class KubernetesAdapterTests: KubeDoubleTestCase {
    private func names(_ list: KubePodList) -> [String] { list.pods.map(\.name) }

    // MARK: listing

    func testListByLabelAndFieldSelectorInOneNamespaceAndAll() throws {
        let d = try start()
        let admin = d.client(token: Scenario.adminToken)
        XCTAssertEqual(names(try admin.listPods(namespace: "chaos", labelSelector: "app=web")), ["web-1", "web-2", "web-3"])
        XCTAssertEqual(names(try admin.listPods(namespace: nil, labelSelector: "app=web")), ["web-1", "web-2", "web-3", "web-x"])
        // Set-based selector from the transcript (A3).
        XCTAssertEqual(names(try admin.listPods(namespace: "chaos", labelSelector: "app in (web,db),app!=web")), ["db-0"])
        XCTAssertEqual(names(try admin.listPods(namespace: "chaos", labelSelector: "app=web", fieldSelector: "status.phase=Running")),
                       ["web-1", "web-2"])
        let list = try admin.listPods(namespace: "chaos", labelSelector: "app=api")
        XCTAssertFalse(list.resourceVersion.isEmpty)
        XCTAssertTrue(list.pods.allSatisfy { $0.isServing && !$0.uid.isEmpty })
        // An unsupported field is the server's 400, surfaced with its message.
        XCTAssertThrowsError(try admin.listPods(namespace: "chaos", fieldSelector: "spec.bogus=1")) { error in
            XCTAssertTrue("\(error)".contains("field label not supported: spec.bogus"), "\(error)")
        }
    }

    // MARK: kill

    func testKillWithGraceZeroRemovesThePodAndJournalsTheEvent() throws {
        let d = try start()
        let journal = journal()
        var lines: [String] = []
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: journal) { lines.append($0) }
        let plan = PodChaosPlan(action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=api"),
                                gracePeriodSeconds: 0, seed: 7)
        let rounds = try runner.run(plan)
        XCTAssertEqual(rounds.count, 1)
        let hit = try XCTUnwrap(rounds[0].results.first)
        XCTAssertEqual(hit.outcome, .done(gracePeriodSeconds: 0))
        let after = try d.client(token: Scenario.adminToken).listPods(namespace: "chaos", labelSelector: "app=api")
        XCTAssertFalse(after.pods.contains { $0.uid == hit.pod.uid }, "the deleted pod must be gone at once with grace 0")
        let events = journal.events()
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.kind, "pod-kill")
        XCTAssertEqual(events.first?.target, "pod chaos/\(hit.pod.name)")
        XCTAssertTrue(events.first?.summary.contains(hit.pod.uid) ?? false)
        XCTAssertTrue(lines.contains { $0.hasPrefix("deleted pod chaos/\(hit.pod.name)") }, "\(lines)")
    }

    func testGracefulKillLeavesPodTerminatingWithThatGracePeriod() throws {
        // web-1 runs on a node without kubelet, so a graceful delete stays Terminating (transcript A5).
        let d = try start()
        let admin = d.client(token: Scenario.adminToken)
        let pod = try XCTUnwrap(admin.listPods(namespace: "chaos", fieldSelector: "metadata.name=web-1").pods.first)
        XCTAssertEqual(try d.client(token: Scenario.chaosToken).deletePod(pod, gracePeriodSeconds: 5, dryRun: false),
                       .deleted(gracePeriodSeconds: 5))
        let after = try XCTUnwrap(admin.listPods(namespace: "chaos", fieldSelector: "metadata.name=web-1").pods.first)
        XCTAssertTrue(after.terminating)
        // Terminating pods are never chosen again.
        var random = SeededRandom(seed: 1)
        let selection = try PodChaosRunner(client: admin, journal: nil)
            .select(PodSelectionSpec(namespace: "chaos", labelSelector: "app=web", maxPercent: 100), random: &random)
        XCTAssertEqual(selection.eligible.map(\.name), ["web-2"])
        XCTAssertTrue(selection.skipped.contains { $0.pod.name == "web-1" && $0.reason == "already terminating" })
        XCTAssertTrue(selection.skipped.contains { $0.pod.name == "web-3" && $0.reason.contains("Pending") })
    }

    func testDryRunChangesNothing() throws {
        let d = try start()
        let admin = d.client(token: Scenario.adminToken)
        let before = try admin.listPods(namespace: "chaos")
        let journal = journal()
        var lines: [String] = []
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: journal) { lines.append($0) }
        for action in [PodChaosAction.kill, .evict] {
            let rounds = try runner.run(PodChaosPlan(action: action,
                                                     selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .count(1)),
                                                     gracePeriodSeconds: 0, dryRun: true, seed: 3))
            XCTAssertEqual(rounds[0].results.count, 1)
            XCTAssertEqual(rounds[0].results[0].outcome, .done(gracePeriodSeconds: 0))
        }
        let after = try admin.listPods(namespace: "chaos")
        XCTAssertEqual(after.pods, before.pods, "dry run must not change any pod")
        XCTAssertEqual(after.resourceVersion, before.resourceVersion)
        XCTAssertTrue(journal.events().isEmpty, "nothing happened, so nothing is journaled")
        XCTAssertTrue(lines.contains { $0.hasPrefix("would delete pod chaos/") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("would evict pod chaos/") }, "\(lines)")
    }

    func testUIDPreconditionReportsAReplacedPod() throws {
        let d = try start()
        let client = d.client(token: Scenario.chaosToken)
        var pod = try XCTUnwrap(client.listPods(namespace: "chaos", fieldSelector: "metadata.name=api-1").pods.first)
        pod.uid = "00000000-0000-0000-0000-000000000000"
        guard case .alreadyReplaced(let message) = try client.deletePod(pod, gracePeriodSeconds: 0, dryRun: false) else {
            return XCTFail("a stale UID must be reported as replaced")
        }
        XCTAssertTrue(message.contains("does not match the UID in record"), message)
        XCTAssertEqual(try client.listPods(namespace: "chaos", fieldSelector: "metadata.name=api-1").pods.count, 1,
                       "the pod holding the name must not be deleted")
        pod.name = "gone"
        XCTAssertEqual(try client.deletePod(pod, gracePeriodSeconds: 0, dryRun: false), .alreadyGone)
    }

    func testParallelKillAndRepeatedRounds() throws {
        let d = try start()
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: journal())
        let parallel = try runner.run(PodChaosPlan(
            action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .count(2), maxPercent: 70),
            gracePeriodSeconds: 0, seed: 11, parallel: true))
        XCTAssertEqual(parallel[0].results.count, 2)
        XCTAssertEqual(Set(parallel[0].results.map(\.pod.uid)).count, 2)

        let started = Date()
        let rounds = try runner.run(PodChaosPlan(
            action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=db", maxPercent: 100, force: true),
            gracePeriodSeconds: 0, dryRun: true, seed: 1, interval: 0.4, duration: 1.0))
        XCTAssertEqual(rounds.count, 3, "rounds at 0, 0.4 and 0.8 s")
        XCTAssertGreaterThanOrEqual(rounds[2].startedAt.timeIntervalSince(started), 0.75)
    }

    // MARK: eviction

    func testEvictionSucceedsAndDisruptionBudgetBlocksWith429() throws {
        let scenario = Scenario.base(pods: [
            Scenario.pod("web-3", app: "web"), Scenario.pod("web-4", app: "web"),
            Scenario.pod("web-5", app: "web", phase: "Pending", node: nil),
            Scenario.pod("q-1", app: "queue"), Scenario.pod("q-2", app: "queue"), Scenario.pod("q-3", app: "queue"),
            Scenario.pod("new-1", app: "new"), Scenario.pod("new-2", app: "new"),
        ], pdbs: [
            ["namespace": "chaos", "name": "web-pdb", "matchLabels": ["app": "web"], "minAvailable": 1],
            ["namespace": "chaos", "name": "new-pdb", "matchLabels": ["app": "new"], "minAvailable": 1, "processed": false],
        ])
        let d = try start(scenario)
        let client = d.client(token: Scenario.chaosToken)
        let pods = Dictionary(uniqueKeysWithValues: try client.listPods(namespace: "chaos").pods.map { ($0.name, $0) })

        // No budget: 201, and the pod is gone.
        XCTAssertEqual(try client.evictPod(pods["q-1"]!, gracePeriodSeconds: 0, dryRun: false), .evicted)
        XCTAssertNil(try client.listPods(namespace: "chaos").pods.first { $0.name == "q-1" })

        // Budget minAvailable 1 with two healthy pods: the first goes, the second is refused (B2).
        XCTAssertEqual(try client.evictPod(pods["web-3"]!, gracePeriodSeconds: 0, dryRun: false), .evicted)
        guard case .blockedByDisruptionBudget(let message, _) = try client.evictPod(pods["web-4"]!, gracePeriodSeconds: 0, dryRun: false) else {
            return XCTFail("expected 429")
        }
        XCTAssertTrue(message.contains("would violate the pod's disruption budget"), message)
        XCTAssertTrue(message.contains("needs 1 healthy pods and has 1 currently"), message)
        // A Pending pod under the same budget is evictable (B2, web-5).
        XCTAssertEqual(try client.evictPod(pods["web-5"]!, gracePeriodSeconds: 0, dryRun: false), .evicted)

        // A budget the disruption controller has not processed yet (A8).
        guard case .blockedByDisruptionBudget(let pending, let retry) = try client.evictPod(pods["new-1"]!, gracePeriodSeconds: nil, dryRun: true) else {
            return XCTFail("expected 429")
        }
        XCTAssertTrue(pending.contains("still being processed"), pending)
        XCTAssertEqual(retry, 10)

        // Through the runner, a blocked eviction is a result (the CLI maps it to .conflict), not a thrown error.
        let rounds = try PodChaosRunner(client: client, journal: nil).run(PodChaosPlan(
            action: .evict, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=new", amount: .count(1)), seed: 5))
        XCTAssertEqual(rounds[0].blocked.count, 1)
        XCTAssertTrue(rounds[0].blocked[0].line.hasPrefix("blocked by disruption budget: pod chaos/new-"), rounds[0].blocked[0].line)
    }

    func testEvictionRefusedOnServersOlderThan122() throws {
        let d = try start(Scenario.base(pods: [Scenario.pod("a", app: "a"), Scenario.pod("b", app: "a")],
                                        version: ["major": "1", "minor": "21+", "gitVersion": "v1.21.14"]))
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: nil)
        XCTAssertThrowsError(try runner.run(PodChaosPlan(action: .evict, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=a")))) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unsupported)
            XCTAssertTrue("\(error)".contains("v1.21.14 is too old for policy/v1 Eviction"), "\(error)")
        }
        XCTAssertEqual(try runner.client.listPods(namespace: "chaos").pods.count, 2, "nothing evicted")
    }

    // MARK: authentication and authorization

    func testUnauthorizedAndForbiddenMessagesAndExitCodes() throws {
        let d = try start()
        XCTAssertThrowsError(try d.client(token: "bogus").listPods(namespace: "chaos")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unauthorized)
            XCTAssertTrue("\(error)".contains("401 Unauthorized"), "\(error)")
            XCTAssertTrue("\(error)".contains("test double"), "names where the credentials came from: \(error)")
        }
        let chaos = d.client(token: Scenario.chaosToken)
        XCTAssertThrowsError(try chaos.listPods(namespace: "other", labelSelector: "app=web")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .forbidden)
            XCTAssertTrue("\(error)".contains(#"cannot list resource "pods" in API group "" in the namespace "other""#), "\(error)")
        }
        XCTAssertThrowsError(try chaos.listPods(namespace: nil)) { error in
            XCTAssertTrue("\(error)".contains("at the cluster scope"), "\(error)")
        }
        let pod = try XCTUnwrap(chaos.listPods(namespace: "chaos", labelSelector: "app=api").pods.first)
        let nobody = d.client(token: Scenario.nobodyToken)
        XCTAssertThrowsError(try nobody.deletePod(pod, gracePeriodSeconds: 0, dryRun: false)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .forbidden)
            XCTAssertTrue("\(error)".contains(#"User "nobody" cannot delete resource "pods""#), "\(error)")
        }
        XCTAssertThrowsError(try nobody.evictPod(pod, gracePeriodSeconds: 0, dryRun: false)) { error in
            XCTAssertTrue("\(error)".contains(#"cannot create resource "pods/eviction""#), "\(error)")
        }
    }

    func testBearerSchemeIsCaseInsensitiveAndOnlyAuthenticatesAKnownToken() throws {
        // apiserver bearertoken AuthenticateRequest: "bearer" in any case, the token up to a space.
        let d = try start()
        let http = HTTPClient(HTTPClientConfiguration(baseURL: d.server, tls: TLSOptions(certificateAuthority: .file(d.pki.caCert))))
        let status = { (header: String) in
            try http.send(HTTPRequest("/api/v1/namespaces/chaos/pods", headers: [("Authorization", header)])).status
        }
        XCTAssertEqual(try status("bearer chaos-token"), 200)
        XCTAssertEqual(try status("BEARER chaos-token extra"), 200)
        XCTAssertEqual(try status("Bearer "), 401)
        XCTAssertEqual(try status("Basic chaos-token"), 401)
        XCTAssertEqual(try http.send(HTTPRequest("/readyz")).status, 401, "anonymous requests are off, /readyz included")
    }

    func testClientCertificateAuthentication() throws {
        let d = try start()
        let pki = d.pki
        let target = KubeTarget(server: d.server,
                                tls: TLSOptions(certificateAuthority: .file(pki.caCert), clientCertificate: .file(pki.clientCert),
                                                clientKey: .file(pki.clientKey)),
                                origin: "client cert")
        // CN=chaos-agent: allowed in chaos, forbidden at cluster scope, as that user.
        XCTAssertEqual(try KubeClient(target: target).listPods(namespace: "chaos", labelSelector: "app=api").pods.count, 3)
        XCTAssertThrowsError(try KubeClient(target: target).listPods(namespace: nil)) { error in
            XCTAssertTrue("\(error)".contains(#"User "chaos-agent""#), "\(error)")
        }
    }

    func testUnreachableServer() throws {
        // A port that was just free: nothing listens there.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        close(fd)
        let client = KubeClient(target: KubeTarget(server: "https://127.0.0.1:\(port)", auth: .token("t"), origin: "test"),
                                timeout: 3, connectTimeout: 2)
        XCTAssertThrowsError(try client.listPods(namespace: "chaos")) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .unreachable)
            XCTAssertTrue("\(error)".contains("is unreachable"), "\(error)")
        }
    }

    // MARK: recovery

    func testRecoveryTimeMeasuredThroughTheWatch() throws {
        // The double's ReplicaSet recreates a deleted pod after 50 ms; it runs after 200 ms
        // and turns Ready after 700 ms. Recovery needs Ready, so about 0.7 s.
        let d = try start(Scenario.standard(recreateDelay: 0.05, runningDelay: 0.2, readyDelay: 0.7))
        var lines: [String] = []
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: nil) { lines.append($0) }
        let rounds = try runner.run(PodChaosPlan(action: .kill,
                                                 selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=api"),
                                                 gracePeriodSeconds: 0, seed: 2, waitRecovered: 10))
        let recovery = try XCTUnwrap(rounds[0].recovery)
        XCTAssertEqual(recovery.required, 3)
        XCTAssertEqual(recovery.serving, 3)
        XCTAssertEqual(recovery.newPods.count, 1)
        XCTAssertTrue(recovery.newPods[0].hasPrefix("chaos/api-rs-"), "\(recovery.newPods)")
        XCTAssertGreaterThanOrEqual(recovery.seconds, 0.7 - 0.05, "Running alone must not count as recovered")
        XCTAssertLessThan(recovery.seconds, 0.7 + 1.0)
        XCTAssertTrue(lines.contains { $0.hasPrefix("recovered in ") }, "\(lines)")
    }

    func testWatchStreamsEventsInServerOrderAndReportsExpiredVersions() throws {
        let d = try start()
        let client = d.client(token: Scenario.chaosToken)
        let list = try client.listPods(namespace: "chaos", labelSelector: "app=api")
        let victim = list.pods[0]
        let seen = EventLog()
        let watcher = Thread {
            try? client.watchPods(namespace: "chaos", labelSelector: "app=api", fieldSelector: nil,
                                  resourceVersion: list.resourceVersion, timeout: 5) { event in
                seen.append("\(event.type) \(event.pod?.name ?? "")") < 3
            }
        }
        watcher.start()
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(try client.deletePod(victim, gracePeriodSeconds: 0, dryRun: false), .deleted(gracePeriodSeconds: 0))
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline && !watcher.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        let events = seen.lines
        // The transcript's order: MODIFIED (deletionTimestamp set), DELETED, then the replacement ADDED.
        XCTAssertEqual(Array(events.prefix(2)), ["MODIFIED \(victim.name)", "DELETED \(victim.name)"])
        XCTAssertEqual(events.count, 3)
        XCTAssertTrue(events.last?.hasPrefix("ADDED api-rs-") ?? false, "\(events)")

        var expired: Int?
        try client.watchPods(namespace: "chaos", labelSelector: nil, fieldSelector: nil, resourceVersion: "1", timeout: 2) { event in
            expired = event.type == "ERROR" ? event.errorCode : nil
            return false
        }
        XCTAssertEqual(expired, 410)
    }

    func testRecoveryTimeoutIsAClearFailure() throws {
        // web pods have no controller: nothing replaces a deleted one.
        let d = try start()
        let runner = PodChaosRunner(client: d.client(token: Scenario.chaosToken), journal: nil)
        let started = Date()
        XCTAssertThrowsError(try runner.run(PodChaosPlan(
            action: .kill, selection: PodSelectionSpec(namespace: "chaos", labelSelector: "app=web", maxPercent: 70),
            gracePeriodSeconds: 0, seed: 1, waitRecovered: 1))) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .failure)
            XCTAssertTrue("\(error)".contains("not recovered within 1s: 1 of 2 pods Running and Ready"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }
}

/// Lines collected on a watch thread, read on the test thread.
// @unchecked Sendable: `items` is guarded by `lock`.
private final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    /// Appends and returns the new count.
    func append(_ line: String) -> Int { lock.lock(); defer { lock.unlock() }; items.append(line); return items.count }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
