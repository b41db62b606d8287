/// A JSON syntax error worded like Go's encoding/json, because Toxiproxy puts that
/// text in its error bodies ("unexpected EOF", "invalid character 'x' ...").
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Parses the first JSON value of a byte buffer the way Go's `json.Decoder.Decode`
/// does: leading whitespace skipped, bytes after the first complete value ignored,
/// "EOF" for an empty body and "unexpected EOF" for a truncated one.
public struct JSONParser {
    /// Nesting deeper than this is refused, so a hostile body cannot exhaust the stack.
    public static let maximumDepth = 256

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.index < bytes.count else { throw JSONSyntaxError(message: "EOF") }
        return try parser.parseValue()
    }

    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func peek() throws -> UInt8 {
        guard index < bytes.count else { throw JSONSyntaxError(message: "unexpected EOF") }
        return bytes[index]
    }

    private func invalid(_ byte: UInt8, _ context: String) -> JSONSyntaxError {
        JSONSyntaxError(message: "invalid character \(Self.quote(byte)) \(context)")
    }

    /// Go's quoteChar: 'x' for printable ASCII, a quoted escape otherwise.
    static func quote(_ byte: UInt8) -> String {
        if byte == UInt8(ascii: "'") { return "'\\''" }
        if byte == UInt8(ascii: "\"") { return "'\"'" }
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16)
        return "\"\\x\(hex.count == 1 ? "0" + hex : hex)\""
    }

    private mutating func parseValue() throws -> JSONValue {
        let byte = try peek()
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw invalid(byte, "looking for beginning of value")
        }
    }

    private mutating func enterContainer() throws {
        depth += 1
        if depth > Self.maximumDepth {
            throw JSONSyntaxError(message: "exceeded max depth")
        }
    }

    private mutating func parseObject() throws -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        index += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyStart = try peek()
            guard keyStart == UInt8(ascii: "\"") else {
                throw invalid(keyStart, "looking for beginning of object key string")
            }
            let key = try parseString()
            skipWhitespace()
            let colon = try peek()
            guard colon == UInt8(ascii: ":") else { throw invalid(colon, "after object key") }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "}") { return .object(members) }
            throw invalid(next, "after object key:value pair")
        }
    }

    private mutating func parseArray() throws -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            let next = try peek()
            index += 1
            if next == UInt8(ascii: ",") { continue }
            if next == UInt8(ascii: "]") { return .array(elements) }
            throw invalid(next, "after array element")
        }
    }

    private mutating func parseLiteral(_ word: String) throws {
        for expected in word.utf8 {
            let byte = try peek()
            guard byte == expected else {
                throw invalid(byte, "in literal \(word) (expecting \(Self.quote(expected)))")
            }
            index += 1
        }
    }

    private mutating func parseNumber() throws -> String {
        let start = index
        if try peek() == UInt8(ascii: "-") { index += 1 }
        let first = try peek()
        guard isDigit(first) else { throw invalid(first, "in numeric literal") }
        index += 1
        if first != UInt8(ascii: "0") {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digit = try peek()
            guard isDigit(digit) else { throw invalid(digit, "after decimal point in numeric literal") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if try peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            let digit = try peek()
            guard isDigit(digit) else { throw invalid(digit, "in exponent of numeric literal") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func parseString() throws -> String {
        index += 1
        var scalars: [UInt8] = []
        while true {
            let byte = try peek()
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let escape = try peek()
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"): scalars.append(contentsOf: try parseUnicodeEscape())
                default: throw invalid(escape, "in string escape code")
                }
            case 0x00..<0x20:
                throw invalid(byte, "in string literal")
            default:
                scalars.append(byte)
            }
        }
    }

    /// Reads the 4 hex digits after "\u" (and a following low surrogate when needed)
    /// and returns the UTF-8 bytes; lone surrogates become U+FFFD as in Go.
    private mutating func parseUnicodeEscape() throws -> [UInt8] {
        let high = try readHex4()
        var scalarValue = high
        if (0xD800..<0xDC00).contains(high) {
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let save = index
                index += 2
                let low = try readHex4()
                if (0xDC00..<0xE000).contains(low) {
                    scalarValue = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = save
                    scalarValue = 0xFFFD
                }
            } else {
                scalarValue = 0xFFFD
            }
        } else if (0xDC00..<0xE000).contains(high) {
            scalarValue = 0xFFFD
        }
        let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func readHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try peek()
            guard let digit = hexValue(byte) else { throw invalid(byte, "in \\u hexadecimal character escape") }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
