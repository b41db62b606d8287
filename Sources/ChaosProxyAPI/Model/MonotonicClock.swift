import ChaosSystem

/// TTL expiry runs on the project's one monotonic clock (ChaosSystem's), so it never jumps
/// with the wall clock; the alias spares this module's files an import of ChaosSystem.
typealias MonotonicClock = ChaosSystem.MonotonicClock
