import Synchronization

/// How much later than scheduled a proxy's bytes left their toxic chain. The schedule is
/// the bytes' kernel arrival plus what the toxics added (latency, bandwidth pacing, slicer
/// delays), so this is the proxy's own timing error: a late loop wake-up, a busy loop, a
/// host that took the CPU away. Time spent afterwards waiting for a slow reader is not in it.
/// Loops record into it on the toxic path only; the API reads a snapshot for `/metrics`.
final class LatenessHistogram: Sendable {
    private struct State {
        var counts = [UInt64](repeating: 0, count: ReleaseLateness.boundsNanos.count + 1)
        var sumNanos: UInt64 = 0
    }
    private let state = Mutex(State())

    func record(_ lateness: Nanos) {
        let bucket = ReleaseLateness.boundsNanos.firstIndex { lateness <= $0 } ?? ReleaseLateness.boundsNanos.count
        state.withLock {
            $0.counts[bucket] &+= 1
            $0.sumNanos &+= lateness
        }
    }

    func snapshot() -> ReleaseLateness {
        state.withLock { ReleaseLateness(counts: $0.counts, sumNanos: $0.sumNanos) }
    }
}

/// A snapshot of a `LatenessHistogram`.
public struct ReleaseLateness: Sendable, Equatable {
    /// Bucket upper bounds (inclusive), in nanoseconds: 50 µs … 50 ms.
    public static let boundsNanos: [UInt64] = [
        50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 50_000_000,
    ]
    /// Per bucket, not cumulative: `counts[i]` for `boundsNanos[i]`, the last one above them all.
    public var counts: [UInt64]
    public var sumNanos: UInt64

    public init(counts: [UInt64] = [UInt64](repeating: 0, count: ReleaseLateness.boundsNanos.count + 1),
                sumNanos: UInt64 = 0) {
        self.counts = counts
        self.sumNanos = sumNanos
    }

    public var count: UInt64 { counts.reduce(0, &+) }
}
