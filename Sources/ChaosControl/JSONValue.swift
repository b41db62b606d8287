import Foundation

/// A JSON value kept verbatim so that fields this library does not know about
/// survive a read-modify-write by a writer (the protocol requires it).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// Integers are kept apart from doubles so `7` is written back as `7`, not `7.0`.
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Converts an object produced by `JSONSerialization`.
    /// Booleans are told apart from numbers by their Objective-C type code ("c"),
    /// because on Linux `NSNumber(1) is Bool` is true.
    init(foundation value: Any) {
        switch value {
        case is NSNull:
            self = .null
        case let string as String:
            self = .string(string)
        case let number as NSNumber:
            self = JSONValue(number: number)
        case let array as [Any]:
            self = .array(array.map { JSONValue(foundation: $0) })
        case let object as [String: Any]:
            self = .object(object.mapValues { JSONValue(foundation: $0) })
        default:
            self = .string(String(describing: value))
        }
    }

    private init(number: NSNumber) {
        let code = String(cString: number.objCType)
        switch code {
        case "c", "B":
            self = .bool(number.boolValue)
        case "d", "f":
            self = .double(number.doubleValue)
        case "Q":
            let unsigned = number.uint64Value
            self = unsigned <= UInt64(Int64.max) ? .integer(Int64(unsigned)) : .double(number.doubleValue)
        default:
            self = .integer(number.int64Value)
        }
    }

    /// The `JSONSerialization`-compatible form, for encoding.
    var foundationValue: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .integer(let value): return NSNumber(value: value)
        case .double(let value):
            // Integral doubles are written without ".0" so files stay stable across rewrites.
            if value.rounded() == value, abs(value) < 9.007_199_254_740_992e15 {
                return NSNumber(value: Int64(value))
            }
            return NSNumber(value: value)
        case .string(let value): return value
        case .array(let values): return values.map(\.foundationValue)
        case .object(let values): return values.mapValues(\.foundationValue)
        }
    }

    /// The numeric value for `.integer` and `.double`, nil otherwise.
    public var numberValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// Compact JSON text of this value, used in error messages ("150", "\"boom\"", "true").
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .double(let value):
            if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
            return String(value)
        case .string(let value):
            let data = try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes])
            let text = data.flatMap { String(data: $0, encoding: .utf8) } ?? "[\"?\"]"
            return String(text.dropFirst().dropLast())
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
