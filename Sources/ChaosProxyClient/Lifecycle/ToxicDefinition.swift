import ChaosJSON

/// What a toxic fault added — type, stream, toxicity and the attributes it set — as
/// journaled, and the check that a toxic found under the same name is still that one.
struct ToxicDefinition: Equatable {
    var type: String
    var stream: String
    var toxicity: Double
    /// Only the attributes the fault set: the server fills in defaults for the others.
    var attributes: [String: Int64]

    init(type: String, stream: String, toxicity: Double, attributes: [String: Int64]) {
        self.type = type
        self.stream = stream
        self.toxicity = toxicity
        self.attributes = attributes
    }

    init(_ options: ToxicOptions) {
        self.init(type: options.type, stream: options.stream, toxicity: options.toxicity, attributes: options.attributes)
    }

    /// Nil for records journaled before definitions were kept (those revert by name).
    init?(revertData data: [String: String]) {
        guard let type = data["toxic_type"], let stream = data["toxic_stream"],
              let toxicity = data["toxic_toxicity"].flatMap(Double.init) else { return nil }
        var attributes: [String: Int64] = [:]
        for pair in (data["toxic_attributes"] ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Int64(parts[1]) else { return nil }
            attributes[String(parts[0])] = value
        }
        self.init(type: type, stream: stream, toxicity: toxicity, attributes: attributes)
    }

    var revertData: [String: String] {
        ["toxic_type": type, "toxic_stream": stream, "toxic_toxicity": String(toxicity),
         "toxic_attributes": attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")]
    }

    /// How `current` differs from what was added, or nil if it is the same toxic as far as
    /// the API can tell.
    func difference(from current: RemoteToxic) -> String? {
        if current.type != type { return "now a \(current.type) toxic, not \(type)" }
        if current.stream != stream { return "now on the \(current.stream) stream, not \(stream)" }
        if current.toxicity != toxicity { return "toxicity changed from \(toxicity) to \(current.toxicity)" }
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            guard case .number(let text)? = current.attributes[key], Double(text) == Double(value) else {
                return "attribute \(key) changed from \(value)"
            }
        }
        return nil
    }
}
