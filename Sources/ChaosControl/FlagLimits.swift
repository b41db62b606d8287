/// Numeric bounds of protocol version 1 (also stated in docs/control-file.schema.json).
public enum FlagLimits {
    /// `latency_ms` and `jitter_ms` at most one day: larger is surely a typo, and the
    /// bound keeps nanosecond arithmetic far from overflow.
    public static let maxMilliseconds = 86_400_000
    /// `max_hits` at most 10^12 (the per-process hit counter packs it into 40 bits).
    public static let maxHits = 1_000_000_000_000
    /// `generation` at most 2^53 - 1, the largest integer every JSON reader keeps exactly.
    public static let maxGeneration: UInt64 = 9_007_199_254_740_991
    /// `seed` at most 2^53 - 1 too, so a seed written by one tool reads back exact in any other.
    public static let maxSeed: UInt64 = 9_007_199_254_740_991
    /// Flag names and `params` keys are at most this many bytes.
    public static let maxNameLength = 128
    /// A control file is at most 1 MiB (thousands of flags; also the most a Kubernetes
    /// ConfigMap holds). A larger file is refused before it is read, so a reader inside a
    /// service never spends seconds and hundreds of MB on it.
    public static let maxFileBytes = 1 << 20
}
