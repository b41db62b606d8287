/// One steady-state check: "is the system healthy right now?". A probe is run repeatedly by
/// ``ProbeLoop`` from worker threads, so it must be safe to call concurrently and must
/// return within roughly its own timeout (it never throws: every problem is a failed check).
public protocol Probe: Sendable {
    /// Name shown in reports and used to group samples ("api-health", "db-port").
    var name: String { get }
    /// Run the check once. Latency is measured by the caller around this call.
    func check() -> ProbeCheck
}

/// What one run of a probe concluded.
public struct ProbeCheck: Sendable, Equatable {
    /// True when the system looked healthy.
    public var ok: Bool
    /// Why the check failed ("connect: connection refused", "status 503 not in 200-299"); nil when ok.
    public var reason: String?
    /// Latency measured by the probe itself, when it knows better than the caller (the HTTP
    /// seam reports transfer time without local set-up). Nil: the caller's measurement is used.
    public var latencyNanoseconds: UInt64?

    public static let healthy = ProbeCheck(ok: true, reason: nil)

    public static func failure(_ reason: String) -> ProbeCheck { ProbeCheck(ok: false, reason: reason) }

    public init(ok: Bool, reason: String?, latencyNanoseconds: UInt64? = nil) {
        self.ok = ok
        self.reason = reason
        self.latencyNanoseconds = latencyNanoseconds
    }
}
