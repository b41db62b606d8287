/// The one JSON value type of the project: a document that keeps object keys in document
/// order and numbers as their source text. The Toxiproxy server and client need both to
/// reproduce Go's decoding rules and error texts exactly (Foundation's JSONSerialization
/// loses them); the control file keeps unknown fields in it so they survive a rewrite.
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
    public var goKindName: String {
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

    /// The number's value when it is one (`.number("1e3")` is 1000), nil otherwise.
    public var numberValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    /// A number from an integer, written as Go and JSONSerialization write it ("7").
    public static func integer(_ value: Int64) -> JSONValue { .number(String(value)) }

    /// A number from a double: integral values without ".0" ("7", not "7.0"), so files
    /// stay stable across rewrites; others in Swift's shortest round-trip form ("0.5").
    public static func double(_ value: Double) -> JSONValue {
        if value.rounded() == value, abs(value) < 1e15 { return .number(String(Int64(value))) }
        return .number(String(value))
    }

    /// An object from a dictionary, members sorted by key so equal dictionaries give
    /// equal values (a dictionary has no order of its own).
    public static func sortedObject(_ members: [String: JSONValue]) -> JSONValue {
        .object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
