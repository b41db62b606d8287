import ChaosSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Both clocks read at one instant. chaosctl measures its phases on the monotonic clock, but
/// load generators stamp requests with the wall clock (k6's `data.time`, Locust's
/// `Timestamp`); recording both at every phase instant is what lets generator samples be cut
/// at those instants (docs/load-results.md, "Clocks").
public struct ClockReading: Codable, Sendable, Equatable {
    public var monotonicNanoseconds: UInt64
    /// ns since the Unix epoch.
    public var wallNanoseconds: Int64

    enum CodingKeys: String, CodingKey {
        case monotonicNanoseconds = "monotonic_ns", wallNanoseconds = "wall_ns"
    }

    public init(monotonicNanoseconds: UInt64, wallNanoseconds: Int64) {
        self.monotonicNanoseconds = monotonicNanoseconds
        self.wallNanoseconds = wallNanoseconds
    }

    /// CLOCK_MONOTONIC and CLOCK_REALTIME read back to back (well under a microsecond apart).
    public static func now() -> ClockReading {
        let mono = MonotonicClock.now()
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        return ClockReading(monotonicNanoseconds: mono,
                            wallNanoseconds: Int64(wall.tv_sec) * 1_000_000_000 + Int64(wall.tv_nsec))
    }

    /// wall − monotonic: constant while nobody steps or slews the wall clock.
    var offsetNanoseconds: Int64 { wallNanoseconds &- Int64(bitPattern: monotonicNanoseconds) }

    /// Monotonic seconds from `self` to `later`.
    public func seconds(to later: ClockReading) -> Double {
        (Double(later.monotonicNanoseconds) - Double(monotonicNanoseconds)) / 1e9
    }
}
