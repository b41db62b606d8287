import ChaosControl

/// TTL expiry runs on the project's one monotonic clock (ChaosControl's), so it never jumps
/// with the wall clock; the alias spares this module's files an import of ChaosControl.
typealias MonotonicClock = ChaosControl.MonotonicClock
