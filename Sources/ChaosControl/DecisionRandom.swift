import Synchronization

/// A lock-free random source for per-call decisions: SplitMix64 over one atomic counter.
/// Each call advances the counter by the golden-ratio increment and mixes the result; a
/// given seed replays the same sequence for a single-threaded caller.
///
/// The advance is a relaxed load plus a relaxed store, not a read-modify-write: a locked
/// RMW costs more than the rest of a decision. Two threads racing may occasionally draw the
/// same value; each call's draw is still uniform, so fault rates stay exact in expectation.
final class DecisionRandom: Sendable {
    // 64 bytes either side keep the state alone on its cache line: it is written on every
    // roll, and sharing a line with read-mostly data (the snapshot pointer) would make
    // every other core's next read of that data miss.
    private let paddingBefore: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private let state: Atomic<UInt64>
    private let paddingAfter: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// - Parameter seed: fixed seed for reproducible runs; nil seeds from the system generator.
    init(seed: UInt64?) {
        var system = SystemRandomNumberGenerator()
        state = Atomic(seed ?? system.next())
    }

    @inline(__always)
    func next() -> UInt64 {
        let advanced = state.load(ordering: .relaxed) &+ 0x9E37_79B9_7F4A_7C15
        state.store(advanced, ordering: .relaxed)
        return Self.mix(advanced)
    }

    /// The SplitMix64 finaliser: a bijection that scrambles every input bit into every output
    /// bit. Also used to derive a second, independent-looking value from one draw.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
