import Synchronization

/// The decision sequence of one flag name that carries its own `seed`: the n-th draw since
/// the flag's definition last changed is `mix(seed + n × golden ratio)`, exactly what a
/// reader seeded with `seed` would draw, so the flag replays whoever reads it.
///
/// Packed as high 24 bits = definition tag, low 40 bits = draws so far: a new definition
/// (another seed, percent, …) restarts the sequence in the same store that advances it.
/// Like `DecisionRandom`, a relaxed load plus a relaxed store, no read-modify-write.
final class FlagDrawSequence: Sendable {
    private let state = Atomic<UInt64>(0)

    private static let countBits: UInt64 = 40
    private static let countMask: UInt64 = (1 << 40) - 1
    private static let tagMask: UInt64 = (1 << 24) - 1

    @inline(__always)
    func next(seed: UInt64, definitionTag: UInt64) -> UInt64 {
        let tag = definitionTag & Self.tagMask
        let observed = state.load(ordering: .relaxed)
        let drawn = (observed >> Self.countBits) == tag ? observed & Self.countMask : 0
        let count = (drawn + 1) & Self.countMask
        state.store((tag << Self.countBits) | count, ordering: .relaxed)
        return DecisionRandom.mix(seed &+ count &* 0x9E37_79B9_7F4A_7C15)
    }
}
