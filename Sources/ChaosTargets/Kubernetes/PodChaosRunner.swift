import ChaosSystem
import ChaosCore
import Foundation

/// Runs a `PodChaosPlan` against an API server: selects, acts, journals each kill or
/// eviction as a one-shot event, repeats on the interval and measures recovery.
public final class PodChaosRunner {
    public let client: KubeClient
    /// Where kills and evictions are recorded (`chaosctl status` shows them); nil: nowhere.
    public let journal: FaultJournal?
    /// Progress lines as they happen.
    public let log: (String) -> Void

    public init(client: KubeClient, journal: FaultJournal?, log: @escaping (String) -> Void = { _ in }) {
        self.client = client
        self.journal = journal
        self.log = log
    }

    /// Select the pods a plan would hit right now, without acting. `strengthFloor`: the
    /// most active pods an earlier round saw (see `PodBlastRadius`).
    public func select(_ spec: PodSelectionSpec, random: inout SeededRandom, strengthFloor: Int = 0) throws -> PodSelection {
        if let namespace = spec.namespace, let refusal = spec.policy.refusal(for: namespace) {
            throw ChaosError("refusing: \(refusal)", exitCode: .usage)
        }
        let list = try client.listPods(namespace: spec.namespace, labelSelector: spec.labelSelector,
                                       fieldSelector: spec.fieldSelector)
        // The "matches everything" check needs every pod of the namespace; only ask when
        // a selector could have narrowed it (no selector is refused without a list).
        var everything: [KubePod]?
        if !spec.force && spec.hasSelector && !list.pods.isEmpty {
            everything = try client.listPods(namespace: spec.namespace).pods
        }
        return try PodSelection.plan(matched: list.pods, resourceVersion: list.resourceVersion,
                                     namespacePods: everything, spec: spec, random: &random, strengthFloor: strengthFloor)
    }

    /// Run every round. Throws on API failures (401, 403, unreachable), safety refusals
    /// and recovery timeouts; disruption-budget refusals are results, not errors.
    public func run(_ plan: PodChaosPlan) throws -> [PodChaosRound] {
        if plan.action == .evict {
            let version = try client.version()
            guard version.supportsPolicyV1Eviction else {
                throw ChaosError("API server \(version.gitVersion) is too old for policy/v1 Eviction (needs Kubernetes 1.22 or later); use `pod kill` instead",
                                 exitCode: .unsupported)
            }
        }
        let seed = plan.seed ?? UInt64.random(in: 0...UInt64.max)
        var random = SeededRandom(seed: seed)
        let start = Date()
        var rounds: [PodChaosRound] = []
        var peakActive = 0
        for (index, offset) in plan.roundOffsets.enumerated() {
            let wake = start.addingTimeInterval(offset)
            if wake > Date() { Thread.sleep(until: wake) }
            if plan.roundOffsets.count > 1 { log("round \(index + 1) of \(plan.roundOffsets.count)") }
            do {
                rounds.append(try round(index: index, plan: plan, seed: seed, random: &random, peakActive: &peakActive))
            } catch let refusal as PodBlastRadiusRefusal where index > 0 {
                // Earlier rounds took pods down; skip this one and let the platform catch up.
                log("round \(index + 1) skipped: \(refusal.message)")
                rounds.append(PodChaosRound(index: index, startedAt: Date(), seed: seed, eligible: 0, results: [],
                                            recovery: nil, skipped: refusal.message))
            }
        }
        return rounds
    }

    private func round(index: Int, plan: PodChaosPlan, seed: UInt64, random: inout SeededRandom,
                       peakActive: inout Int) throws -> PodChaosRound {
        let selection = try select(plan.selection, random: &random, strengthFloor: peakActive)
        peakActive = max(peakActive, PodBlastRadius.active(in: selection.matched, policy: plan.selection.policy))
        for skip in selection.skipped { log("not eligible: pod \(skip.pod.id): \(skip.reason)") }
        log("chose \(selection.chosen.count) of \(selection.eligible.count) eligible pods (\(plan.selection.describe), seed \(seed))"
            + (selection.chosen.isEmpty ? "" : ": " + selection.chosen.map(\.id).joined(separator: ", ")))
        let actedAt = Date()
        let results = try act(on: selection.chosen, plan: plan)
        var round = PodChaosRound(index: index, startedAt: actedAt, seed: seed, eligible: selection.eligible.count,
                                  results: results, recovery: nil)
        let hit = results.filter { if case .done = $0.outcome { return true } else { return false } }.map(\.pod)
        if plan.waitRecovered != nil, !plan.dryRun, !hit.isEmpty, selection.servingCount == 0 {
            // "Recovered: 0 of 0" would be a recovery nobody measured.
            let why = "nothing to recover to: no pod matching \(plan.selection.describe) was Running and Ready before the round"
            log(why)
            round.recoveryNotMeasured = why
        } else if let timeout = plan.waitRecovered, !plan.dryRun, !hit.isEmpty {
            log("waiting up to \(DurationParser.format(timeout)) for \(selection.servingCount) pods Running and Ready again")
            let watcher = PodRecoveryWatcher(client: client, namespace: plan.selection.namespace,
                                             labelSelector: plan.selection.labelSelector,
                                             fieldSelector: plan.selection.fieldSelector)
            let recovery = try watcher.wait(required: selection.servingCount, excluding: Set(hit.map(\.uid)),
                                            before: Set(selection.matched.map(\.uid)), since: actedAt, timeout: timeout)
            log("recovered in \(DurationParser.format(recovery.seconds)): \(recovery.serving) of \(recovery.required) pods Running and Ready"
                + (recovery.newPods.isEmpty ? "" : " (new: \(recovery.newPods.joined(separator: ", ")))"))
            round.recovery = recovery
        } else if plan.waitRecovered != nil && plan.dryRun {
            let why = "dry run: nothing changed, so there is no recovery to wait for"
            log(why)
            round.recoveryNotMeasured = why
        }
        return round
    }

    /// Act on each pod, one after another or all at once. With several pods in parallel
    /// every call is made; the first API error is rethrown after all finished.
    private func act(on pods: [KubePod], plan: PodChaosPlan) throws -> [PodActionResult] {
        guard plan.parallel && pods.count > 1 else {
            return try pods.map { try actOne($0, plan: plan, log: self.log) }
        }
        let lock = NSLock()
        var results = [PodActionResult?](repeating: nil, count: pods.count)
        var firstError: Error?
        // The caller's `log` need not be thread-safe: parallel actions take turns calling it.
        let takingTurns = { (line: String) in lock.withLock { self.log(line) } }
        DispatchQueue.concurrentPerform(iterations: pods.count) { i in
            do {
                let r = try actOne(pods[i], plan: plan, log: takingTurns)
                lock.lock(); results[i] = r; lock.unlock()
            } catch {
                lock.lock(); if firstError == nil { firstError = error }; lock.unlock()
            }
        }
        if let firstError { throw firstError }
        return results.compactMap { $0 }
    }

    private func actOne(_ pod: KubePod, plan: PodChaosPlan, log: (String) -> Void) throws -> PodActionResult {
        let began = MonotonicClock.now()
        let outcome: PodActionResult.Outcome
        switch plan.action {
        case .kill:
            switch try client.deletePod(pod, gracePeriodSeconds: plan.gracePeriodSeconds, dryRun: plan.dryRun) {
            // The grace period the server says it applied, never the one asked for.
            case .deleted(let grace): outcome = .done(gracePeriodSeconds: grace)
            case .alreadyReplaced(let why): outcome = .alreadyReplaced(why)
            case .alreadyGone: outcome = .alreadyGone
            }
        case .evict:
            switch try client.evictPod(pod, gracePeriodSeconds: plan.gracePeriodSeconds, dryRun: plan.dryRun) {
            case .evicted: outcome = .done(gracePeriodSeconds: plan.gracePeriodSeconds)
            case .blockedByDisruptionBudget(let why, _): outcome = .blockedByDisruptionBudget(why)
            case .alreadyReplaced(let why): outcome = .alreadyReplaced(why)
            case .alreadyGone: outcome = .alreadyGone
            }
        }
        let result = PodActionResult(pod: pod, action: plan.action, dryRun: plan.dryRun, outcome: outcome,
                                     seconds: MonotonicClock.seconds(since: began))
        log(result.line)
        if case .done(let grace) = outcome, !plan.dryRun, let journal {
            let summary = (plan.action == .kill ? "deleted" : "evicted") + " uid \(pod.uid)"
                + (grace.map { ", grace period \($0)s" } ?? "")
            do {
                try journal.appendEvent(FaultJournal.Event(kind: plan.action == .kill ? "pod-kill" : "pod-evict",
                                                           target: "pod \(pod.id)", summary: summary))
            } catch {
                // The pod is gone either way; say the record is missing rather than fail the run.
                log("warning: could not journal the event: \(error)")
            }
        }
        return result
    }
}
