import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: ttl expiry must not jump with the wall clock.
public enum MonotonicClock {
    public static func nowNs() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
