import ChaosCore
import ChaosTargets
import XCTest

/// Selection rules without a server: eligibility, amounts, seeds and the safety refusals.
final class PodSelectionTests: XCTestCase {
    private func pods(_ n: Int, ns: String = "chaos", app: String = "api") -> [KubePod] {
        (1...n).map { KubePod(namespace: ns, name: "\(app)-\($0)", uid: "\(ns)-\(app)-\($0)", labels: ["app": app]) }
    }

    private func plan(_ matched: [KubePod], all: [KubePod]? = nil, _ spec: PodSelectionSpec, seed: UInt64 = 1) throws -> PodSelection {
        var random = SeededRandom(seed: seed)
        return try PodSelection.plan(matched: matched, resourceVersion: "1", namespacePods: all ?? matched + pods(3, app: "other"),
                                     spec: spec, random: &random)
    }

    func testCountAndPercentWithSeedAreReplayable() throws {
        let ten = pods(10)
        let spec = PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .percent(30))
        let a = try plan(ten, spec, seed: 42)
        let b = try plan(ten.reversed(), spec, seed: 42)
        XCTAssertEqual(a.chosen.count, 3, "30% of 10")
        XCTAssertEqual(a.chosen.map(\.name), b.chosen.map(\.name), "same seed, same pods, whatever the list order")
        let others = try (1...20).map { try plan(ten, spec, seed: UInt64($0)).chosen.map(\.name) }
        XCTAssertGreaterThan(Set(others).count, 1, "different seeds pick differently")
        XCTAssertEqual(try plan(ten, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .count(2))).chosen.count, 2)
        // Percent rounds up and never yields zero for a positive share.
        XCTAssertEqual(PodAmount.percent(1).resolve(eligible: 10), 1)
        XCTAssertEqual(PodAmount.percent(25).resolve(eligible: 10), 3)
        XCTAssertEqual(PodAmount.count(20).resolve(eligible: 4), 4)
    }

    func testTerminatingAndNotRunningPodsAreSkipped() throws {
        var list = pods(6)
        list[0].terminating = true
        list[1].phase = "Pending"
        // The cap counts the two pods already down; this test is about eligibility only.
        let s = try plan(list, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .percent(50), maxPercent: 100))
        XCTAssertEqual(s.eligible.count, 4)
        XCTAssertFalse(s.chosen.contains { $0.name == "api-1" || $0.name == "api-2" })
        let withPending = try plan(list, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", includeNotRunning: true,
                                                          maxPercent: 100))
        XCTAssertEqual(withPending.eligible.count, 5, "still never a terminating pod")
    }

    func testKubeSystemIsRefusedUnlessExplicitlyAllowed() throws {
        let dns = pods(4, ns: "kube-system", app: "dns")
        XCTAssertThrowsError(try plan(dns, PodSelectionSpec(namespace: nil, labelSelector: "app=dns"))) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
            XCTAssertTrue("\(error)".contains("namespace kube-system is protected"), "\(error)")
        }
        let allowed = try plan(dns, all: dns + pods(2, ns: "kube-system", app: "proxy"),
                               PodSelectionSpec(namespace: nil, labelSelector: "app=dns",
                                                     policy: KubeNamespacePolicy(allowed: ["kube-system"])))
        XCTAssertEqual(allowed.chosen.count, 1)
        let policy = KubeNamespacePolicy(allowed: ["kube-system", "chaos"], denied: ["chaos"])
        XCTAssertNotNil(policy.refusal(for: "chaos"), "deny wins over allow")
        XCTAssertNotNil(policy.refusal(for: "prod"), "an allow list excludes the rest")
        XCTAssertNil(KubeNamespacePolicy().refusal(for: "prod"))
    }

    func testBlastRadiusCap() throws {
        let four = pods(4)
        XCTAssertThrowsError(try plan(four, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .count(3)))) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
            XCTAssertTrue("\(error)".contains("would hit 3 of 4 pods (75%), above the blast-radius cap --max-percent 50"), "\(error)")
        }
        XCTAssertEqual(try plan(four, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .count(2))).chosen.count, 2)
        XCTAssertEqual(try plan(four, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api", amount: .count(3),
                                                       maxPercent: 75)).chosen.count, 3)
    }

    func testBlastRadiusCountsPodsAlreadyDown() throws {
        // A 4-replica Deployment after two fast kills: two Ready originals, two Pending
        // replacements. Only Running pods are eligible, but the cap is about the four.
        var list = pods(4)
        list[2].phase = "Pending"; list[2].ready = false
        list[3].phase = "Pending"; list[3].ready = false
        XCTAssertThrowsError(try plan(list, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api"))) { error in
            XCTAssertTrue(error is PodBlastRadiusRefusal, "\(error)")
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
            XCTAssertTrue("\(error)".contains("2 of 4 pods are already unavailable"), "\(error)")
            XCTAssertTrue("\(error)".contains("would leave 3 of 4 (75%) unavailable"), "\(error)")
        }
        // Before the ReplicaSet has made replacements, terminating pods hold their places.
        var early = pods(4)
        early[0].terminating = true
        early[1].terminating = true
        XCTAssertEqual(PodBlastRadius(matched: early, policy: KubeNamespacePolicy()), PodBlastRadius(strength: 4, serving: 2))
        XCTAssertThrowsError(try plan(early, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api")))
        // Gone for good (no replacement yet or ever): an earlier round's count holds.
        XCTAssertEqual(PodBlastRadius(matched: pods(2), policy: KubeNamespacePolicy(), floor: 4), PodBlastRadius(strength: 4, serving: 2))
        // One down of four: one more is exactly the 50 % cap.
        var one = pods(4)
        one[3].ready = false
        XCTAssertEqual(try plan(one, PodSelectionSpec(namespace: "chaos", labelSelector: "app=api")).chosen.count, 1)
    }

    func testZeroMatchAndEverythingAreRefusedUnlessForced() throws {
        XCTAssertThrowsError(try plan([], PodSelectionSpec(namespace: "chaos", labelSelector: "app=typo"))) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
            XCTAssertTrue("\(error)".contains("label selector 'app=typo' in namespace chaos matches no eligible pod"), "\(error)")
        }
        XCTAssertEqual(try plan([], PodSelectionSpec(namespace: "chaos", labelSelector: "app=typo", force: true)).chosen.count, 0)

        let all = pods(4)
        XCTAssertThrowsError(try plan(all, all: all, PodSelectionSpec(namespace: "chaos", labelSelector: "tier!=none"))) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
            XCTAssertTrue("\(error)".contains("matches every pod in namespace chaos (4 of 4)"), "\(error)")
        }
        XCTAssertThrowsError(try plan(all, PodSelectionSpec(namespace: "chaos")), "no selector at all is everything")
        XCTAssertEqual(try plan(all, all: all, PodSelectionSpec(namespace: "chaos", labelSelector: "tier!=none", force: true)).chosen.count, 1)
    }

    func testRoundOffsets() {
        let sel = PodSelectionSpec(namespace: "chaos")
        XCTAssertEqual(PodChaosPlan(action: .kill, selection: sel).roundOffsets, [0])
        XCTAssertEqual(PodChaosPlan(action: .kill, selection: sel, interval: 10, duration: 60).roundOffsets, [0, 10, 20, 30, 40, 50])
        XCTAssertEqual(PodChaosPlan(action: .kill, selection: sel, duration: 60).roundOffsets, [0])
    }
}
