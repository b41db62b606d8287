import ChaosControl
import Foundation
import XCTest

/// Unknown fields hold ChaosJSON's `JSONValue` (numbers as text): integers survive a rewrite
/// as integers, fractions as fractions, and an unsigned 64-bit number exactly.
final class UnknownNumberTests: XCTestCase {
    func testUnknownNumbersSurviveARewrite() throws {
        let text = """
            {"version": 1, "generation": 1, "flags": {},
             "x-int": 7, "x-frac": 0.5, "x-big": 18446744073709551615, "x-neg": -3,
             "x-nested": {"b": [1, 2.25], "a": null}}
            """
        let document = try ControlDocument.decode(Data(text.utf8))
        XCTAssertEqual(document.unknownFields["x-int"], .number("7"))
        XCTAssertEqual(document.unknownFields["x-frac"], .number("0.5"))
        XCTAssertEqual(document.unknownFields["x-big"], .number("18446744073709551615"))
        XCTAssertEqual(document.unknownFields["x-neg"], .integer(-3))
        XCTAssertEqual(document.unknownFields["x-nested"],
                       .object([("a", .null), ("b", .array([.number("1"), .number("2.25")]))]), "members sorted by key")

        let written = String(decoding: try document.encoded(), as: UTF8.self)
        XCTAssertTrue(written.contains("\"x-int\" : 7,"), written)
        XCTAssertTrue(written.contains("\"x-frac\" : 0.5,"), written)
        XCTAssertTrue(written.contains("\"x-big\" : 18446744073709551615,"), written)
        XCTAssertEqual(try ControlDocument.decode(Data(written.utf8)), document)
    }
}
