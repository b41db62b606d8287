/// What flows through a direction's toxic chain: bytes, or an instruction for the
/// connection that must keep its place in the byte order.
enum StreamItem: Equatable, Sendable {
    /// Bytes read from the source, to be written to the destination.
    case data([UInt8])
    /// The source sent FIN: shut down writing on the destination once everything before is out.
    case end
    /// Close the whole connection (both sockets, normal FIN).
    case close
    /// Reset the whole connection (both sockets, SO_LINGER 0 → RST).
    case reset

    var byteCount: Int {
        if case .data(let bytes) = self { return bytes.count }
        return 0
    }
}

/// Nanoseconds on the monotonic clock. Stages never read a clock: the caller passes `now`,
/// so every stage can be driven by a fake clock in tests.
typealias Nanos = UInt64

extension Int64 {
    /// Milliseconds → nanoseconds, clamped at 0 for negative inputs.
    var msAsNanos: Nanos { self <= 0 ? 0 : Nanos(self) &* 1_000_000 }
    /// Microseconds → nanoseconds, clamped at 0 for negative inputs.
    var usAsNanos: Nanos { self <= 0 ? 0 : Nanos(self) &* 1_000 }
}
