/// A small, fast, seedable generator (SplitMix64) so runs can be replayed with `--seed`.
/// Not for secrets. Without a seed, it starts from the system generator.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64? = nil) {
        var system = SystemRandomNumberGenerator()
        self.state = seed ?? system.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Pick `count` distinct elements at random (order randomised too).
    public mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        var pool = items
        pool.shuffle(using: &self)
        return Array(pool.prefix(max(0, count)))
    }
}
