/// chaosctl's `seed` toxic attribute: the toxic's own seed, so a run can be repeated.
/// Toxiproxy ignores attributes it does not know, so sending it to one is harmless.
public enum ToxicSeed {
    /// The attribute's name.
    public static let attribute = "seed"
    /// Largest seed: 2^53 - 1, so every JSON client keeps it exact.
    public static let maximum: Int64 = 9_007_199_254_740_991
}
