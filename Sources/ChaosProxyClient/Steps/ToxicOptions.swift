import ChaosProxyModel

/// One toxic as a user asks for it: the same model behind `chaosctl toxic add` and an
/// experiment's `toxic:` step, so both build the same `ToxicFault`.
public struct ToxicOptions: Sendable, Equatable {
    /// Toxiproxy's two streams: client → server and server → client data.
    public static let streams = ["upstream", "downstream"]

    /// The proxy the toxic goes on.
    public var proxy: String
    /// The toxic's name; nil or empty lets Toxiproxy's default `<type>_<stream>` apply.
    public var name: String?
    /// Toxiproxy toxic type ("latency", "bandwidth", …).
    public var type: String
    /// "upstream" or "downstream".
    public var stream: String
    /// Probability (0…1) that a connection is affected.
    public var toxicity: Double
    /// The type's integer attributes (e.g. latency, jitter in ms), plus chaosctl's `seed`.
    public var attributes: [String: Int64]
    /// chaosctl's server-side ttl extension ("30s", "60000"), independent of any hold.
    public var ttl: String?

    public init(proxy: String, name: String? = nil, type: String, stream: String = "downstream",
                toxicity: Double = 1, attributes: [String: Int64] = [:], ttl: String? = nil) {
        self.proxy = proxy
        self.name = name
        self.type = type
        self.stream = stream
        self.toxicity = toxicity
        self.attributes = attributes
        self.ttl = ttl
    }

    /// The name the toxic will have: the given one, else Toxiproxy's `<type>_<stream>`.
    /// Fixed before applying, so the journal always knows what to remove.
    public var resolvedName: String { (name?.isEmpty ?? true) ? "\(type)_\(stream)" : name! }

    /// What the server would refuse, found before anything is sent: an unknown type or
    /// stream, an attribute the type does not have, a value out of its range. Each problem
    /// names its field ("type", "attributes.latency") so a caller can point at it.
    public func problems() -> [(field: String, message: String)] {
        var found: [(field: String, message: String)] = []
        if !Self.streams.contains(stream) { found.append(("stream", "must be upstream or downstream")) }
        if !(0...1).contains(toxicity) { found.append(("toxicity", "must be between 0 and 1")) }
        guard let known = ToxicType(rawValue: type) else {
            let types = ToxicType.allCases.map(\.rawValue).joined(separator: ", ")
            return found + [("type", "unknown toxic type '\(type)' (known: \(types))")]
        }
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            let field = "attributes.\(key)"
            if key == ToxicSeed.attribute {
                if !(0...ToxicSeed.maximum).contains(value) {
                    found.append((field, "\(key)=\(value) must be between 0 and \(ToxicSeed.maximum)"))
                }
            } else if let attribute = known.attributes.first(where: { $0.name == key }) {
                if let problem = attribute.rangeProblem(value, type: known) { found.append((field, problem)) }
            } else {
                let names = (known.attributes.map(\.name) + [ToxicSeed.attribute]).joined(separator: ", ")
                found.append((field, "unknown attribute '\(key)' for a \(type) toxic (known: \(names))"))
            }
        }
        return found
    }
}
