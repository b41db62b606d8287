import ChaosCore
import Foundation

/// Which pods of a node a drain evicts, and the evictions, as `kubectl drain` does them
/// (k8s.io/kubectl/pkg/drain: filters.go and drain.go):
/// - a mirror pod (annotation `kubernetes.io/config.mirror`) is skipped: the API cannot delete it;
/// - a DaemonSet's pod is skipped: its controller ignores the cordon and would replace it
///   at once (kubectl's `--ignore-daemonsets`, always on here);
/// - a pod already terminating is skipped;
/// - a pod no controller manages (and not finished) would be gone for good: the drain is
///   refused unless `--force`, before anything changes;
/// - each eviction goes through the Eviction API, so PodDisruptionBudgets hold; a 429 is
///   reported as blocked and retried every 5 s until `--timeout` passes;
/// - then the drain waits, within the same `--timeout`, until the evicted pods are deleted
///   (`PodDeletionWait`); those still there are reported as still terminating.
struct NodeDrain {
    struct Plan {
        var evict: [KubePod] = []
        var skipped: [(KubePod, String)] = []
        var unmanaged: [KubePod] = []
    }

    /// What the evictions of one node came to.
    struct Outcome {
        var blocked = 0
        /// Evicted, but not deleted before the timeout (or a stop).
        var stillTerminating: [KubePod] = []
    }

    let client: KubeClient
    let gracePeriodSeconds: Int?
    let timeout: Double
    let log: (String) -> Void
    /// Between retries: kubectl waits 5 s after a 429.
    var retryInterval: Double = 5
    /// Between checks that the evicted pods are gone.
    var deletionPollInterval: Double = 1

    func plan(node: String) throws -> Plan {
        var plan = Plan()
        let pods = try client.listPods(namespace: nil, fieldSelector: "spec.nodeName=\(node)").pods
        for pod in pods {
            if pod.isMirror { plan.skipped.append((pod, "mirror pod")) }
            else if pod.controllerKind == "DaemonSet" { plan.skipped.append((pod, "DaemonSet-managed")) }
            else if pod.terminating { plan.skipped.append((pod, "already terminating")) }
            else {
                if pod.controllerKind == nil && !["Succeeded", "Failed"].contains(pod.phase) { plan.unmanaged.append(pod) }
                plan.evict.append(pod)
            }
        }
        return plan
    }

    /// A server-side dry-run eviction of one pod per namespace, before anything changes: a
    /// missing `pods/eviction` permission (403) refuses the drain while the node is still
    /// uncordoned. Budgets are not judged here: a 429 now may clear during the retries.
    func checkPermission(_ plan: Plan) throws {
        var seen: Set<String> = []
        for pod in plan.evict where seen.insert(pod.namespace).inserted {
            _ = try client.evictPod(pod, gracePeriodSeconds: gracePeriodSeconds, dryRun: true)
        }
    }

    /// Evict every pod of the plan, then wait for the evicted ones to be deleted, all
    /// within the timeout (or until a stop).
    func evict(_ plan: Plan, dryRun: Bool, stop: StopFlag) throws -> Outcome {
        for (pod, why) in plan.skipped { log("skipped \(pod.id): \(why)") }
        let deadline = Date().addingTimeInterval(timeout)
        var outcome = Outcome()
        var evicted: [KubePod] = []
        for pod in plan.evict {
            while true {
                switch try client.evictPod(pod, gracePeriodSeconds: gracePeriodSeconds, dryRun: dryRun) {
                case .evicted:
                    log("\(dryRun ? "would evict" : "evicted") \(pod.id)")
                    if !dryRun { evicted.append(pod) }
                case .alreadyGone, .alreadyReplaced: log("\(pod.id) already gone")
                case .blockedByDisruptionBudget(let message, _):
                    let left = deadline.timeIntervalSinceNow
                    if dryRun || left <= 0 || stop.signal != nil {
                        log("eviction of \(pod.id) blocked by disruption budget: \(message)")
                        outcome.blocked += 1
                    } else {
                        log("eviction of \(pod.id) blocked by disruption budget, retrying in \(DurationParser.format(retryInterval)): \(message)")
                        if !stop.sleep(min(retryInterval, left)) { continue }
                        log("eviction of \(pod.id) blocked by disruption budget: \(message)")
                        outcome.blocked += 1
                    }
                }
                break
            }
        }
        if evicted.isEmpty { return outcome }
        log("waiting up to \(DurationParser.format(max(0, deadline.timeIntervalSinceNow).rounded(.up))) for \(evicted.count) evicted pod(s) to be deleted")
        let wait = PodDeletionWait(client: client, interval: deletionPollInterval)
        outcome.stillTerminating = try wait.remaining(evicted, until: deadline, stop: stop)
        if outcome.stillTerminating.isEmpty {
            log("all \(evicted.count) evicted pod(s) deleted")
        } else {
            log("still terminating: \(outcome.stillTerminating.map(\.id).joined(separator: ", "))")
        }
        return outcome
    }
}
