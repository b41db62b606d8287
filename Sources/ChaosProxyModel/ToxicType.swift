/// One numeric attribute of a toxic type, with Toxiproxy's name and Go type, and the
/// range chaosctl accepts (Toxiproxy accepts anything; a negative latency is a typo).
public struct ToxicAttribute: Sendable, Equatable {
    public var name: String
    /// "int64" or "int", as in Toxiproxy's Go structs (shown in type errors).
    public var goType: String
    public var unit: String
    public var maximum: Int64

    /// Why `value` is out of this attribute's range for a `type` toxic, or nil. The server
    /// answers 400 with this text; clients can refuse the same value before sending it.
    public func rangeProblem(_ value: Int64, type: ToxicType) -> String? {
        guard value < 0 || value > maximum else { return nil }
        return "invalid attribute \(name)=\(value) for \(type.rawValue) toxic: must be between 0 and \(maximum) (\(unit))"
    }

    static let oneDayMs: Int64 = 86_400_000
    static func milliseconds(_ name: String) -> ToxicAttribute {
        ToxicAttribute(name: name, goType: "int64", unit: "ms", maximum: oneDayMs)
    }
}

/// The toxic types the API accepts: Toxiproxy's, plus chaosctl's `refuse_connections`
/// and `reset_connections`.
public enum ToxicType: String, Sendable, CaseIterable {
    case latency, bandwidth, slicer, timeout, noop
    case slowClose = "slow_close"
    case resetPeer = "reset_peer"
    case limitData = "limit_data"
    case refuseConnections = "refuse_connections"
    case resetConnections = "reset_connections"

    /// Toxiproxy's Go struct name, which appears in its attribute type errors.
    public var goStructName: String {
        switch self {
        case .latency: return "LatencyToxic"
        case .bandwidth: return "BandwidthToxic"
        case .slowClose: return "SlowCloserToxic"
        case .timeout: return "TimeoutToxic"
        case .resetPeer: return "ResetToxic"
        case .slicer: return "SlicerToxic"
        case .limitData: return "LimitDataToxic"
        case .noop: return "NoopToxic"
        case .refuseConnections: return "RefuseConnectionsToxic"
        case .resetConnections: return "ResetConnectionsToxic"
        }
    }

    /// Attributes in the order Toxiproxy encodes them.
    public var attributes: [ToxicAttribute] {
        switch self {
        case .latency: return [.milliseconds("latency"), .milliseconds("jitter")]
        case .bandwidth: return [ToxicAttribute(name: "rate", goType: "int64", unit: "KB/s", maximum: 100_000_000)]
        case .slowClose: return [.milliseconds("delay")]
        case .timeout, .resetPeer: return [.milliseconds("timeout")]
        case .slicer:
            return [ToxicAttribute(name: "average_size", goType: "int", unit: "bytes", maximum: 1 << 30),
                    ToxicAttribute(name: "size_variation", goType: "int", unit: "bytes", maximum: 1 << 30),
                    ToxicAttribute(name: "delay", goType: "int", unit: "us", maximum: ToxicAttribute.oneDayMs * 1000)]
        case .limitData: return [ToxicAttribute(name: "bytes", goType: "int64", unit: "bytes", maximum: Int64.max)]
        case .noop, .refuseConnections, .resetConnections: return []
        }
    }
}
