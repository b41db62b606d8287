import ChaosProxy
import ChaosProxyModel

extension ToxicType {
    /// The data plane's form; `nil` for `noop`, which does nothing and is not sent.
    func kind(_ values: [String: Int64]) -> ToxicKind? {
        func value(_ name: String) -> Int64 { values[name] ?? 0 }
        switch self {
        case .latency: return .latency(latencyMs: value("latency"), jitterMs: value("jitter"))
        case .bandwidth: return .bandwidth(rateKBps: value("rate"))
        case .slowClose: return .slowClose(delayMs: value("delay"))
        case .timeout: return .timeout(timeoutMs: value("timeout"))
        case .resetPeer: return .resetPeer(timeoutMs: value("timeout"))
        case .slicer:
            return .slicer(averageSize: value("average_size"), sizeVariation: value("size_variation"),
                           delayUs: value("delay"))
        case .limitData: return .limitData(bytes: value("bytes"))
        case .noop: return nil
        case .refuseConnections: return .refuseConnections
        case .resetConnections: return .resetConnections
        }
    }
}
