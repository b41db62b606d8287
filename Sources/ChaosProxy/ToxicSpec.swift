import ChaosCore

/// Which direction a toxic acts on, in Toxiproxy's words: `upstream` is client → server,
/// `downstream` is server → client (the default).
public enum ToxicStream: String, Sendable, Equatable, CaseIterable {
    case upstream
    case downstream
}

/// The toxic kinds, with Toxiproxy's attribute names and units in the comments.
public enum ToxicKind: Sendable, Equatable {
    /// `latency` (ms) ± `jitter` (ms) added to every chunk.
    case latency(latencyMs: Int64, jitterMs: Int64)
    /// `rate` in KB/s, 1 KB = 1000 bytes as in Toxiproxy (it sleeps `len * 1ms / rate`).
    case bandwidth(rateKBps: Int64)
    /// Delay the close (FIN) by `delay` ms.
    case slowClose(delayMs: Int64)
    /// Stop all data; close after `timeout` ms (0 = hang until the toxic is removed).
    case timeout(timeoutMs: Int64)
    /// RST the connection after `timeout` ms (SO_LINGER 0).
    case resetPeer(timeoutMs: Int64)
    /// Cut data into chunks of `average_size` ± `size_variation` bytes, `delay` µs apart.
    case slicer(averageSize: Int64, sizeVariation: Int64, delayUs: Int64)
    /// Close after `bytes` bytes have passed.
    case limitData(bytes: Int64)
    /// chaosctl extension: close `toxicity` of new connections at once (no upstream dial).
    case refuseConnections
    /// chaosctl extension: RST `toxicity` of new connections at once (no upstream dial).
    case resetConnections

    /// Toxiproxy's type name ("latency", "slow_close", …).
    public var typeName: String {
        switch self {
        case .latency: return "latency"
        case .bandwidth: return "bandwidth"
        case .slowClose: return "slow_close"
        case .timeout: return "timeout"
        case .resetPeer: return "reset_peer"
        case .slicer: return "slicer"
        case .limitData: return "limit_data"
        case .refuseConnections: return "refuse_connections"
        case .resetConnections: return "reset_connections"
        }
    }
}

/// A toxic as the data plane sees it: no JSON, no HTTP.
public struct ToxicSpec: Sendable, Equatable {
    public var name: String
    public var stream: ToxicStream
    /// Probability (0…1) that a given connection is affected, decided once per connection.
    public var toxicity: Double
    public var kind: ToxicKind
    /// chaosctl extension: the toxic's own seed. Its toxicity and jitter draws for a proxy's
    /// n-th connection then depend only on this seed and n, not on the engine's seed or on
    /// other toxics, so a run can be repeated.
    public var seed: UInt64?

    public init(name: String, stream: ToxicStream, toxicity: Double, kind: ToxicKind, seed: UInt64? = nil) {
        self.name = name
        self.stream = stream
        self.toxicity = toxicity
        self.kind = kind
        self.seed = seed
    }
}

extension ToxicSpec {
    /// This toxic's random source for its proxy's `ordinal`-th connection, when it has a seed.
    func ownRandom(connection ordinal: UInt64) -> SeededRandom? {
        seed.map { SeededRandom(seed: $0 &+ ordinal &* 0x9E37_79B9_7F4A_7C15) }
    }

    /// Whether the toxic applies to one connection, drawing `random` unless toxicity is 0 or 1.
    func hits(drawing random: inout SeededRandom) -> Bool {
        toxicity >= 1 || (toxicity > 0 && Double.random(in: 0..<1, using: &random) < toxicity)
    }
}
