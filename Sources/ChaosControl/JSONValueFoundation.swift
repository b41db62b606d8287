@_exported import ChaosJSON
import Foundation

// The control file is read and written with JSONSerialization; unknown fields are kept as
// ChaosJSON's `JSONValue` (re-exported, so services linking ChaosControl see one type).
extension JSONValue {
    /// Converts an object produced by `JSONSerialization`. Booleans are told apart from
    /// numbers by their Objective-C type code ("c"), because on Linux `NSNumber(1) is Bool`
    /// is true. Object members are sorted by key: a dictionary has no order to keep.
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
            self = .sortedObject(object.mapValues { JSONValue(foundation: $0) })
        default:
            self = .string(String(describing: value))
        }
    }

    private init(number: NSNumber) {
        switch String(cString: number.objCType) {
        case "c", "B": self = .bool(number.boolValue)
        case "d", "f":
            // JSONSerialization reads a number beyond UInt64 (or with many digits) as an
            // NSDecimalNumber, whose doubleValue is not the nearest Double: 1.0000000900719925e+28
            // came back as ...23e+28, so every rewrite moved it. Its exact text rounds correctly.
            if number is NSDecimalNumber, let exact = Double(number.description), exact.isFinite {
                self = .double(exact)
            } else {
                self = .double(number.doubleValue)
            }
        case "Q": self = .number(String(number.uint64Value))
        default: self = .integer(number.int64Value)
        }
    }

    /// The `JSONSerialization`-compatible form, for encoding. Integers stay integers
    /// (`7` is written back as `7`, not `7.0`).
    var foundationValue: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let value): return value
        case .number(let text):
            if let integer = Int64(text) { return NSNumber(value: integer) }
            if let unsigned = UInt64(text) { return NSNumber(value: unsigned) }
            let value = Double(text) ?? .nan
            if value.rounded() == value, abs(value) < 9.007_199_254_740_992e15 { return NSNumber(value: Int64(value)) }
            return NSNumber(value: value)
        case .string(let value): return value
        case .array(let values): return values.map(\.foundationValue)
        case .object(let members):
            return Dictionary(members.map { ($0.0, $0.1.foundationValue) }, uniquingKeysWith: { $1 })
        }
    }

    /// Members as a dictionary (the last duplicate wins), nil when not an object.
    var objectMembers: [String: JSONValue]? {
        guard case .object(let members) = self else { return nil }
        return Dictionary(members, uniquingKeysWith: { $1 })
    }

    /// Compact JSON text of this value, used in error messages ("150", "\"boom\"", "true").
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let text): return text
        case .string(let value):
            let data = try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes])
            let text = data.flatMap { String(data: $0, encoding: .utf8) } ?? "[\"?\"]"
            return String(text.dropFirst().dropLast())
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
