import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One immutable snapshot: a table of compiled flags indexed by handle slot.
struct SnapshotTable {
    let count: Int
    let entries: UnsafeMutablePointer<CompiledFlag>
}

/// Publishes snapshot tables through one atomic pointer so the hot path reads them with a
/// single acquire load: no lock, no reference counting, no allocation, no syscall.
///
/// Reclamation: a table replaced by a newer one is *retired*, not freed, and only freed
/// once it has been retired for at least `gracePeriod` (60 s) AND at least `minimumNewer`
/// (16) newer tables have been published since. A hot-path reader holds a table pointer
/// for a few nanoseconds, so freeing requires a thread to stall inside `fires()` for a
/// minute while the file changes 16 times. We accept that theoretical window instead of
/// hazard pointers or epochs, which would add shared-cache-line writes to every call;
/// memory stays bounded (tables are ~64 bytes per flag handle) even for files that change
/// every second for months. `publish` is called only under the reader's lock.
// @unchecked Sendable: `retired` and `publishedCount` change only under the reader's lock; readers load `current` atomically.
final class SnapshotPublisher: @unchecked Sendable {
    static let gracePeriodNanoseconds: UInt64 = 60_000_000_000
    static let minimumNewer: UInt64 = 16

    private let current = Atomic<UInt>(0)
    private var retired: [(table: UnsafeMutablePointer<SnapshotTable>, retiredAt: UInt64, sequence: UInt64)] = []
    private var publishedCount: UInt64 = 0

    init() {
        publish([])
    }

    deinit {
        // Handles keep their reader's publisher alive, so nothing can be reading any table now.
        free(UnsafeMutablePointer<SnapshotTable>(bitPattern: current.load(ordering: .acquiring))!)
        for entry in retired { free(entry.table) }
    }

    /// The current table. Valid to read for a few microseconds (see reclamation above).
    @inline(__always)
    var table: UnsafeMutablePointer<SnapshotTable> {
        UnsafeMutablePointer<SnapshotTable>(bitPattern: current.load(ordering: .acquiring))
            .unsafelyUnwrapped
    }

    /// Makes `entries` the current snapshot (caller holds the reader's lock).
    func publish(_ entries: [CompiledFlag]) {
        let storage = UnsafeMutablePointer<CompiledFlag>.allocate(capacity: max(1, entries.count))
        if !entries.isEmpty {
            storage.initialize(from: entries, count: entries.count)
        }
        let table = UnsafeMutablePointer<SnapshotTable>.allocate(capacity: 1)
        table.initialize(to: SnapshotTable(count: entries.count, entries: storage))
        let previous = current.exchange(UInt(bitPattern: table), ordering: .acquiringAndReleasing)
        publishedCount += 1
        if let old = UnsafeMutablePointer<SnapshotTable>(bitPattern: previous) {
            retired.append((old, MonotonicClock.now(), publishedCount))
        }
        reclaim()
    }

    /// Frees retired tables that satisfy both reclamation conditions.
    func reclaim() {
        let now = MonotonicClock.now()
        retired.removeAll { entry in
            let old = now &- entry.retiredAt >= Self.gracePeriodNanoseconds
            let superseded = publishedCount - entry.sequence >= Self.minimumNewer
            if old && superseded {
                free(entry.table)
                return true
            }
            return false
        }
    }

    var retiredCount: Int { retired.count }

    private func free(_ table: UnsafeMutablePointer<SnapshotTable>) {
        table.pointee.entries.deallocate()
        table.deinitialize(count: 1)
        table.deallocate()
    }
}
