#if canImport(Glibc)
import Glibc
#endif

/// CPU time of the calling thread: excludes time spent descheduled, which on a shared
/// machine otherwise dominates nanosecond-scale measurements.
@inline(__always)
func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
