import Foundation
import Synchronization

/// The monotonic counters of one proxy name. Loops bump them without locks (relaxed
/// atomics); the API reads a snapshot. They outlive a stop/start of the same proxy name.
// @unchecked Sendable: counters are atomics and `toxicApplications` is guarded by `lock`.
final class ProxyCounterSet: @unchecked Sendable {
    let accepted = Atomic<UInt64>(0)
    let active = Atomic<UInt64>(0)
    let refused = Atomic<UInt64>(0)
    let bytesUpstream = Atomic<UInt64>(0)
    let bytesDownstream = Atomic<UInt64>(0)
    let releaseLateness = LatenessHistogram()
    private let lock = NSLock()
    private var toxicApplications: [String: UInt64] = [:]

    func countToxicApplied(_ name: String) {
        lock.lock()
        toxicApplications[name, default: 0] += 1
        lock.unlock()
    }

    func snapshot() -> ProxyCounters {
        var counters = ProxyCounters()
        counters.acceptedConnections = accepted.load(ordering: .relaxed)
        counters.activeConnections = active.load(ordering: .relaxed)
        counters.refusedConnections = refused.load(ordering: .relaxed)
        counters.bytesUpstream = bytesUpstream.load(ordering: .relaxed)
        counters.bytesDownstream = bytesDownstream.load(ordering: .relaxed)
        counters.releaseLateness = releaseLateness.snapshot()
        lock.lock()
        counters.toxicApplications = toxicApplications
        lock.unlock()
        return counters
    }
}
