#if canImport(Glibc)
import Glibc
#endif

/// A forward-only scanner over the bytes of one JSON text, for the hot path of k6's output:
/// it reads strings as byte ranges (no String unless asked), numbers as Double, and skips
/// any other value while still checking its structure, so a cut or garbled line is refused
/// rather than half-read. Not a general JSON library: no value tree is ever built.
struct JSONByteScanner {
    struct Malformed: Error {
        let offset: Int
        let expected: String
    }

    /// A string's bytes between its quotes; `escaped` when a backslash occurs inside.
    struct StringRange {
        let start: Int
        let end: Int
        let escaped: Bool
    }

    let bytes: UnsafePointer<UInt8>
    let count: Int
    private(set) var position = 0

    init(_ buffer: UnsafeRawBufferPointer) {
        bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        count = buffer.count
    }

    @inline(__always) mutating func skipWhitespace() {
        while position < count {
            let b = bytes[position]
            guard b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A else { return }
            position += 1
        }
    }

    @inline(__always) func peek() -> UInt8? {
        position < count ? bytes[position] : nil
    }

    @inline(__always) mutating func peekAfterWhitespace() -> UInt8? {
        skipWhitespace()
        return peek()
    }

    @inline(__always) mutating func expect(_ byte: UInt8, _ what: String) throws(Malformed) {
        skipWhitespace()
        guard position < count, bytes[position] == byte else { throw Malformed(offset: position, expected: what) }
        position += 1
    }

    /// Consumes `byte` if it is next (after whitespace).
    @inline(__always) mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    @inline(__always) mutating func readString() throws(Malformed) -> StringRange {
        try expect(0x22, "a string")
        let start = position
        // Fast path: one pass to the first quote or backslash; most k6 strings have no escape.
        let stop = firstQuoteOrBackslash(from: start)
        guard stop < count else { throw Malformed(offset: start, expected: "the end of a string") }
        if bytes[stop] == 0x22 {
            position = stop + 1
            return StringRange(start: start, end: stop, escaped: false)
        }
        position = stop
        while position < count {
            let b = bytes[position]
            if b == 0x22 {
                position += 1
                return StringRange(start: start, end: position - 1, escaped: true)
            }
            if b == 0x5C {
                position += 1
                guard position < count else { break }
                if bytes[position] == 0x75 { position += 4 }  // \uXXXX
            }
            position += 1
        }
        throw Malformed(offset: start, expected: "the end of a string")
    }

    /// The index of the first `"` or `\` at or after `from`, or `count`. Eight bytes at a time
    /// (a zero-byte test on the word XORed with each character): k6's strings are short, and
    /// two memchr calls per string cost more in call overhead than they saved (perf: 31 % of
    /// the ingest time was memchr).
    @inline(__always) func firstQuoteOrBackslash(from: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = from
        while i + 8 <= count {
            let word = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            // The lowest flagged byte is exact (a borrow only flags bytes above a real match).
            let found = ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & highs
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < count {
            if bytes[i] == 0x22 || bytes[i] == 0x5C { return i }
            i += 1
        }
        return count
    }

    /// Whether the string's bytes equal `literal` (ASCII, no escapes).
    @inline(__always) func equals(_ range: StringRange, _ literal: StaticString) -> Bool {
        let length = range.end - range.start
        guard !range.escaped, length == literal.utf8CodeUnitCount else { return false }
        return memcmp(bytes + range.start, literal.utf8Start, length) == 0
    }

    func string(_ range: StringRange) -> String {
        let raw = UnsafeBufferPointer(start: bytes + range.start, count: range.end - range.start)
        guard range.escaped else { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    mutating func readNumber() throws(Malformed) -> Double {
        skipWhitespace()
        let start = position
        var negative = false
        if position < count && bytes[position] == 0x2D { negative = true; position += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        while position < count, bytes[position] &- 0x30 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- 0x30); digits += 1 } else { exponent += 1 }
            position += 1
        }
        guard position > start + (negative ? 1 : 0) else { throw Malformed(offset: start, expected: "a number") }
        if position < count && bytes[position] == 0x2E {
            position += 1
            let fractionStart = position
            while position < count, bytes[position] &- 0x30 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[position] &- 0x30); digits += 1; exponent -= 1 }
                position += 1
            }
            guard position > fractionStart else { throw Malformed(offset: position, expected: "a digit after '.'") }
        }
        if position < count && (bytes[position] | 0x20) == 0x65 {
            position += 1
            var exponentNegative = false
            if position < count && (bytes[position] == 0x2D || bytes[position] == 0x2B) {
                exponentNegative = bytes[position] == 0x2D
                position += 1
            }
            var value = 0
            let exponentStart = position
            while position < count, bytes[position] &- 0x30 < 10 {
                value = min(value * 10 + Int(bytes[position] &- 0x30), 10_000)
                position += 1
            }
            guard position > exponentStart else { throw Malformed(offset: position, expected: "an exponent") }
            exponent += exponentNegative ? -value : value
        }
        let magnitude = Double(mantissa) * Self.powerOfTen(exponent)
        return negative ? -magnitude : magnitude
    }

    /// Skips one value of any kind, checking its structure.
    mutating func skipValue(depth: Int = 0) throws(Malformed) {
        guard depth < 64 else { throw Malformed(offset: position, expected: "nesting under 64 levels") }
        skipWhitespace()
        guard let b = peek() else { throw Malformed(offset: position, expected: "a value") }
        switch b {
        case 0x22: _ = try readString()
        case 0x7B:
            position += 1
            if take(0x7D) { return }
            repeat {
                _ = try readString()
                try expect(0x3A, "':'")
                try skipValue(depth: depth + 1)
            } while take(0x2C)
            try expect(0x7D, "'}' or ','")
        case 0x5B:
            position += 1
            if take(0x5D) { return }
            repeat { try skipValue(depth: depth + 1) } while take(0x2C)
            try expect(0x5D, "']' or ','")
        case 0x74: try literal("true")
        case 0x66: try literal("false")
        case 0x6E: try literal("null")
        default: _ = try readNumber()
        }
    }

    mutating func literal(_ word: StaticString) throws(Malformed) {
        let length = word.utf8CodeUnitCount
        guard position + length <= count, memcmp(bytes + position, word.utf8Start, length) == 0 else {
            throw Malformed(offset: position, expected: "\(word)")
        }
        position += length
    }

    /// Nothing but whitespace may follow the value.
    mutating func expectEnd() throws(Malformed) {
        skipWhitespace()
        guard position == count else { throw Malformed(offset: position, expected: "the end of the line") }
    }

    private static let powers: [Double] = (0...22).map { (0..<$0).reduce(1.0) { acc, _ in acc * 10 } }

    @inline(__always) private static func powerOfTen(_ exponent: Int) -> Double {
        if exponent == 0 { return 1 }
        if exponent > 0 && exponent <= 22 { return powers[exponent] }
        if exponent < 0 && exponent >= -22 { return 1 / powers[-exponent] }
        return pow10(exponent)
    }

    private static func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        let step = exponent > 0 ? 10.0 : 0.1
        for _ in 0..<min(abs(exponent), 400) { result *= step }
        return result
    }

    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            guard b == 0x5C, i + 1 < raw.count else { out.append(b); i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case 0x6E: out.append(0x0A)
            case 0x74: out.append(0x09)
            case 0x72: out.append(0x0D)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x75:
                guard i + 4 <= raw.count, let code = UInt32(String(decoding: raw[i..<i + 4], as: UTF8.self), radix: 16) else {
                    out.append(0x3F); continue
                }
                i += 4
                // Surrogates (a pair spells one character) are rare in tags: shown as U+FFFD.
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
