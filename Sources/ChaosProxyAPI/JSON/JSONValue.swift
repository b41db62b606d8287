/// A parsed JSON document that keeps object keys in document order and numbers as
/// their source text, so Toxiproxy's Go-style decoding rules and error texts can be
/// reproduced exactly (Foundation's JSONSerialization loses both).
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written ("100", "0.5", "1e3").
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; duplicate keys are kept (the last one wins on lookup).
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The word Go's encoding/json uses for this kind in "cannot unmarshal X into ..." errors.
    var goKindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Member lookup as Go does it: exact key preferred, otherwise case-insensitive;
    /// the last duplicate wins. `nil` when absent or not an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        if let exact = members.last(where: { $0.0 == key }) { return exact.1 }
        let lowered = key.lowercased()
        return members.last(where: { $0.0.lowercased() == lowered })?.1
    }
}
