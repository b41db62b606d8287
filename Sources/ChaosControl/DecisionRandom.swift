import Synchronization

/// A lock-free random source for per-call decisions: SplitMix64 over one atomic counter.
/// Each call atomically advances the counter by the golden-ratio increment and mixes the
/// result, so concurrent callers each get a distinct, well-mixed value, and a given seed
/// replays the same sequence for a single-threaded caller.
final class DecisionRandom: Sendable {
    private let state: Atomic<UInt64>

    /// - Parameter seed: fixed seed for reproducible runs; nil seeds from the system generator.
    init(seed: UInt64?) {
        var system = SystemRandomNumberGenerator()
        state = Atomic(seed ?? system.next())
    }

    @inline(__always)
    func next() -> UInt64 {
        var mixed = state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
