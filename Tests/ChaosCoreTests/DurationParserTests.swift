import ChaosCore
import XCTest

final class DurationParserTests: XCTestCase {
    func testUnitsAndCompounds() throws {
        XCTAssertEqual(try DurationParser.seconds("250us"), 0.000250, accuracy: 1e-12)
        XCTAssertEqual(try DurationParser.seconds("100ms"), 0.1, accuracy: 1e-12)
        XCTAssertEqual(try DurationParser.seconds("1.5s"), 1.5, accuracy: 1e-12)
        XCTAssertEqual(try DurationParser.seconds("15m"), 900)
        XCTAssertEqual(try DurationParser.seconds("2h"), 7200)
        XCTAssertEqual(try DurationParser.seconds("1h30m"), 5400)
        XCTAssertEqual(try DurationParser.seconds("1m30s"), 90)
    }

    func testBareNumberNeedsDefaultUnit() throws {
        XCTAssertThrowsError(try DurationParser.seconds("100", field: "--for"))
        XCTAssertEqual(try DurationParser.seconds("100", defaultUnit: "ms"), 0.1, accuracy: 1e-12)
    }

    func testMalformedNamesFieldAndValue() {
        for bad in ["", "abc", "10parsecs", "-5s", "1..2s", "ms"] {
            XCTAssertThrowsError(try DurationParser.seconds(bad, field: "--for"), bad) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains("--for"), text)
                XCTAssertTrue(text.contains("'\(bad)'"), text)
            }
        }
    }

    func testFormatRoundTrips() throws {
        for text in ["150ms", "2.5s", "15m", "1h30m", "250us"] {
            XCTAssertEqual(DurationParser.format(try DurationParser.seconds(text)), text)
        }
    }
}
