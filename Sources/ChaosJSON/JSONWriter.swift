/// Writes JSON the way Go's encoding/json does, so bodies match Toxiproxy byte for byte:
/// no spaces, `<`, `>` and `&` escaped as \u003c…, float32 numbers in shortest form.
public enum JSONWriter {
    /// A quoted, escaped JSON string.
    public static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// A float32 as Go prints it: "1", "0.5", "0.25", "2.5".
    public static func float32(_ value: Float) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e18 {
            return String(Int64(value))
        }
        return value.description
    }

    /// An object from members already encoded, keeping their order.
    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// An array from elements already encoded.
    public static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ",") + "]"
    }

    /// Re-encodes a parsed value compactly (used for echoing extension fields).
    public static func value(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return string(text)
        case .array(let elements): return array(elements.map { self.value($0) })
        case .object(let members): return object(members.map { ($0.0, self.value($0.1)) })
        }
    }
}
