#if canImport(Glibc)
import Glibc
#endif

/// The outcome of one call's roll of a flag: whether to inject the fault, how long to
/// delay, and how to fail. A plain value: producing it allocates nothing.
public struct FlagDecision: Equatable, Sendable {
    /// Whether the fault should be injected on this call.
    public var fires: Bool
    /// `latency_ms ± uniform(jitter_ms)` in nanoseconds, clamped at 0; 0 when not firing.
    public var delayNanoseconds: UInt64
    /// The flag's `mode`, when firing and set.
    public var mode: FlagMode?
    /// The flag's `severity`, when firing and set.
    public var severity: FlagSeverity?

    /// "Do nothing."
    public static let none = FlagDecision(fires: false, delayNanoseconds: 0, mode: nil, severity: nil)

    /// A decision with the given parts (for tests and for services that build their own).
    public init(fires: Bool, delayNanoseconds: UInt64, mode: FlagMode?, severity: FlagSeverity?) {
        self.fires = fires
        self.delayNanoseconds = delayNanoseconds
        self.mode = mode
        self.severity = severity
    }

    /// Blocks the calling thread for `delayNanoseconds` (no-op when 0). For async code use
    /// `try await Task.sleep(nanoseconds: decision.delayNanoseconds)` instead.
    public func sleepForDelay() {
        guard delayNanoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(delayNanoseconds / 1_000_000_000),
                               tv_nsec: Int(delayNanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR {
            request = remaining
        }
    }
}
