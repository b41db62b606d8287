@testable import ChaosLoad
import XCTest

/// The string scan reads eight bytes at a time: every place a quote or backslash can sit
/// relative to a word boundary must give what a byte-by-byte reading gives.
final class JSONByteScannerTests: XCTestCase {
    /// What a plain byte loop finds: the closing quote's index (skipping escapes) and whether
    /// a backslash came first; nil when the string never closes.
    private func reference(_ bytes: [UInt8], from start: Int) -> (end: Int, escaped: Bool)? {
        var i = start
        var escaped = false
        while i < bytes.count {
            if bytes[i] == 0x22 { return (i, escaped) }
            if bytes[i] == 0x5C {
                escaped = true
                if i + 1 < bytes.count && bytes[i + 1] == 0x75 { i += 4 }
                i += 1
            }
            i += 1
        }
        return nil
    }

    func testStringEndsAndEscapesAtEveryOffsetAgreeWithAByteLoop() {
        for length in 0..<20 {
            for lead in 0..<9 {
                for escapeAt in [nil] + (0..<length).map(Optional.some) {
                    var body = Array(repeating: UInt8(ascii: "a"), count: length)
                    if let escapeAt { body[escapeAt] = 0x5C }
                    let text = Array(repeating: UInt8(ascii: " "), count: lead) + [0x22] + body + [0x22, 0x7D]
                    let truth = reference(text, from: lead + 1)
                    let got: (end: Int, escaped: Bool)? = text.withUnsafeBytes { raw in
                        var scanner = JSONByteScanner(raw)
                        guard let range = try? scanner.readString() else { return nil }
                        return (range.end, range.escaped)
                    }
                    XCTAssertEqual(got?.end, truth?.end, "length \(length) lead \(lead) escape at \(String(describing: escapeAt))")
                    XCTAssertEqual(got?.escaped, truth?.escaped, "length \(length) lead \(lead) escape at \(String(describing: escapeAt))")
                }
            }
        }
    }

    func testAStringThatNeverClosesIsRefused() {
        for length in 0..<20 {
            let text = [0x22] + Array(repeating: UInt8(ascii: "b"), count: length)
            let refused = text.withUnsafeBytes { raw in
                var scanner = JSONByteScanner(raw)
                return (try? scanner.readString()) == nil
            }
            XCTAssertTrue(refused, "length \(length)")
        }
    }

    func testBytesAboveTheFirstMatchDoNotMoveIt() {
        // 0x23 right above a quote: the zero-byte test's borrow may flag it, never below.
        let text: [UInt8] = [0x22] + Array("abc".utf8) + [0x22, 0x23, 0x5D, 0x21, 0x22, 0x5C]
        text.withUnsafeBytes { raw in
            var scanner = JSONByteScanner(raw)
            XCTAssertEqual(try? scanner.readString().end, 4)
        }
    }
}
