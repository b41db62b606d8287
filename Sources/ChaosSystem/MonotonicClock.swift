import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The project's one monotonic clock: CLOCK_MONOTONIC in nanoseconds, immune to wall-clock
/// steps (NTP, manual changes), so latencies, TTLs, timeouts and schedules never jump when the
/// wall clock does. It lives in ChaosSystem, a leaf with no dependencies, so ChaosControl (which
/// services link alone) and the rest of chaosctl share it without depending on each other.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot). Inlinable: hot paths and benchmarks
    /// read it per event.
    @inlinable
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Seconds elapsed since `start` (a value of `now()`).
    public static func seconds(since start: UInt64) -> Double {
        Double(now() &- start) / 1e9
    }

    /// The instant `seconds` from now (negative counts as zero).
    public static func deadline(after seconds: Double) -> UInt64 {
        now() + UInt64(max(0, seconds) * 1e9)
    }

    /// Wall-clock time, for humans reading a journal; never used to measure intervals.
    public static func wallNow() -> Date {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Date(timeIntervalSince1970: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
    }

    /// Sleep until an absolute monotonic instant. Sleeping to an absolute deadline (rather
    /// than for a relative span) is what keeps a periodic schedule from drifting.
    public static func sleep(until deadline: UInt64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        // clock_nanosleep returns EINTR when a signal lands; resume to the same deadline.
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }
}
