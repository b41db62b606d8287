import Foundation

/// Waits until evicted pods are really deleted, as `kubectl drain` does after its evictions
/// (k8s.io/kubectl/pkg/drain/drain.go, waitForDelete): a pod counts as gone when its GET
/// answers 404 or the pod of that name has another UID (a replacement that reused the
/// name, as a StatefulSet's does). An evicted pod first only gets a deletionTimestamp; it
/// goes once its kubelet has stopped it, up to its grace period later.
struct PodDeletionWait {
    let client: KubeClient
    /// kubectl polls once a second.
    var interval: Double = 1

    /// The pods still there when `deadline` passed or a stop came; empty when all went.
    func remaining(_ pods: [KubePod], until deadline: Date, stop: StopFlag) throws -> [KubePod] {
        var pending = pods
        while true {
            pending = try pending.filter { pod in
                guard let now = try client.pod(namespace: pod.namespace, name: pod.name) else { return false }
                return now.uid == pod.uid
            }
            let left = deadline.timeIntervalSinceNow
            if pending.isEmpty || left <= 0 || stop.sleep(min(interval, left)) { return pending }
        }
    }
}
