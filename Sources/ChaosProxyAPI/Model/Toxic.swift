import ChaosJSON
import ChaosProxy
import ChaosProxyModel

/// A toxic as the API stores and shows it (Toxiproxy's model).
public struct Toxic: Sendable, Equatable {
    public var name: String
    public var type: ToxicType
    public var stream: ToxicStream
    /// float32 in Toxiproxy; kept as given (even > 1) and clamped only for the data plane.
    public var toxicity: Float
    /// Attribute values by name; every attribute of `type` is present (default 0).
    public var attributes: [String: Int64]
    /// chaosctl extension: how long the toxic lives, in milliseconds, when set.
    public var ttlMs: Int64?
    /// chaosctl extension: the toxic's own seed (attribute `seed`), shown only when set.
    public var seed: UInt64?
    /// Absolute expiry on `MonotonicClock`, set by the registry when `ttlMs` is.
    public var expiresAtNs: UInt64?

    public init(name: String, type: ToxicType, stream: ToxicStream = .downstream, toxicity: Float = 1,
                attributes: [String: Int64] = [:], ttlMs: Int64? = nil, seed: UInt64? = nil) {
        self.name = name
        self.type = type
        self.stream = stream
        self.toxicity = toxicity
        var complete: [String: Int64] = [:]
        for attribute in type.attributes { complete[attribute.name] = attributes[attribute.name] ?? 0 }
        self.attributes = complete
        self.ttlMs = ttlMs
        self.seed = seed
    }

    /// Toxiproxy's default name when none is given: "<type>_<stream>".
    public static func defaultName(type: String, stream: String) -> String { "\(type)_\(stream)" }

    /// The data plane's form, or `nil` for toxics that do nothing (`noop`).
    public var spec: ToxicSpec? {
        guard let kind = type.kind(attributes) else { return nil }
        return ToxicSpec(name: name, stream: stream, toxicity: Double(min(max(toxicity, 0), 1)), kind: kind,
                          seed: seed)
    }

    /// Toxiproxy's JSON: attributes, name, type, stream, toxicity; then `ttl_remaining_ms`
    /// only when a ttl is set, so Toxiproxy clients never see a new field otherwise.
    public func json(nowNs: UInt64) -> String {
        let attributeJSON = JSONWriter.object(type.attributes.map { ($0.name, String(attributes[$0.name] ?? 0)) }
                                              + (seed.map { [(ToxicSeed.attribute, String($0))] } ?? []))
        var members: [(String, String)] = [
            ("attributes", attributeJSON),
            ("name", JSONWriter.string(name)),
            ("type", JSONWriter.string(type.rawValue)),
            ("stream", JSONWriter.string(stream.rawValue)),
            ("toxicity", JSONWriter.float32(toxicity)),
        ]
        if let expiresAtNs {
            let remaining = expiresAtNs > nowNs ? (expiresAtNs - nowNs) / 1_000_000 : 0
            members.append(("ttl_remaining_ms", String(remaining)))
        }
        return JSONWriter.object(members)
    }
}
