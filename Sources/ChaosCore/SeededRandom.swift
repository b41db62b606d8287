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

/// Seeds for the parts of a run (one per step), derived from the run's seed so a run can
/// be repeated with `--seed`, and each step draws its own sequence: adding or removing a
/// step does not change what the others choose.
public enum SeedDerivation {
    /// The seed of the part named `key` (a step's place in its file, "method.[2].pod"):
    /// FNV-1a of the key, mixed with the run's seed through one SplitMix64 step.
    public static func seed(_ runSeed: UInt64, for key: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        var random = SeededRandom(seed: runSeed ^ hash)
        return random.next()
    }

    /// A new run seed, below 2^53 so it survives every JSON reader (JavaScript's numbers are doubles).
    public static func fresh() -> UInt64 {
        UInt64.random(in: 0..<(1 << 53))
    }
}
