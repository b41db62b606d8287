import Synchronization

/// The `max_hits` firing count of one flag name in one reader.
/// Packed as high 24 bits = definition tag, low 40 bits = count, so a definition change
/// resets the count in the same compare-and-swap that counts a hit.
final class HitCounter: Sendable {
    let value = Atomic<UInt64>(0)
}
