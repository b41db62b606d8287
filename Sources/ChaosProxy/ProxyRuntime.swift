import Foundation
import Synchronization

/// One started proxy as the loops see it: its configuration (changed by the API thread under
/// a lock, read by the loops at accept or when told), its counters, and the registry of its
/// live connections for `connections()`. A stop/start of the same name gets a new runtime,
/// so a late command for the old one cannot touch the new one.
// @unchecked Sendable: upstream, toxics and live connections are guarded by `lock`; `stopped` is atomic.
final class ProxyRuntime: @unchecked Sendable {
    let name: String
    let listenAddress: String
    let counters: ProxyCounterSet
    let stopped = Atomic<Bool>(false)
    private let lock = NSLock()
    private var upstreamTarget: UpstreamTarget
    private var toxicSpecs: [ToxicSpec]
    private var toxicsVersion: UInt64 = 0
    private var live: [UInt64: ConnectionRecord] = [:]

    init(name: String, listenAddress: String, upstream: UpstreamTarget, toxics: [ToxicSpec], counters: ProxyCounterSet) {
        self.name = name
        self.listenAddress = listenAddress
        self.upstreamTarget = upstream
        self.toxicSpecs = toxics
        self.counters = counters
    }

    var upstream: UpstreamTarget {
        get { lock.withLock { upstreamTarget } }
        set { lock.withLock { upstreamTarget = newValue } }
    }

    /// The current toxics and their version (bumped on every change).
    var toxics: (specs: [ToxicSpec], version: UInt64) { lock.withLock { (toxicSpecs, toxicsVersion) } }

    func setToxics(_ specs: [ToxicSpec]) {
        lock.withLock {
            toxicSpecs = specs
            toxicsVersion &+= 1
        }
    }

    func add(_ record: ConnectionRecord) { lock.withLock { live[record.id] = record } }
    func remove(id: UInt64) { lock.withLock { live[id] = nil } }
    var records: [ConnectionRecord] { lock.withLock { Array(live.values) } }
}
