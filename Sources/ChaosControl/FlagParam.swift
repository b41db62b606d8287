/// A service-specific parameter value in a flag's `params` object.
/// The protocol allows only scalars so every reader language can represent them simply.
public enum FlagParam: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    /// The value as a string, if it is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as a number, if it is one.
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The value as a boolean, if it is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value as compact JSON: `"eu"`, `5`, `true`.
    public var description: String { jsonValue.jsonText }

    var jsonValue: JSONValue {
        switch self {
        case .string(let value): return .string(value)
        case .number(let value): return .double(value)
        case .bool(let value): return .bool(value)
        }
    }
}
