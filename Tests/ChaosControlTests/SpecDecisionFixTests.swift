import ChaosControl
import Foundation
import XCTest

/// The two ChaosControl fixes made so Swift matches docs/control-file.md section 3.3 and
/// the millisecond rule of 3.1 (the conformance vectors cover the rest).
final class SpecDecisionFixTests: XCTestCase {
    func testFractionDigitsAreWholeMilliseconds() throws {
        // Summing digit × 0.1^k in Double read ".035" as 34 ms.
        for (text, milliseconds) in [("1970-01-01T00:00:00.035Z", 35), ("1970-01-01T00:00:00.5Z", 500),
                                     ("1970-01-01T00:00:00.0359Z", 35), ("1970-01-01T00:00:00.999999Z", 999)] {
            let date = try XCTUnwrap(RFC3339.parse(text), text)
            XCTAssertEqual(Int((date.timeIntervalSince1970 * 1000).rounded()), milliseconds, text)
        }
    }

    func testFiresOnAPercent100FlagTakesOneDraw() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("control.json")
        let document = #"{"version": 1, "generation": 1, "flags": {"all": {"enabled": true}, "half": {"enabled": true, "percent": 50}}}"#
        try Data(document.utf8).write(to: URL(fileURLWithPath: path))
        // Draws of SplitMix64 seeded 11: percent 50 passes when the draw is below 2^63.
        var state: UInt64 = 11
        var draws: [Bool] = []
        for _ in 0..<6 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            draws.append((z ^ (z >> 31)) < 1 << 63)
        }
        let reader = ControlFileReader(path: path, pollInterval: .seconds(3600), seed: 11, changeDetection: .pollingOnly)
        defer { reader.stop() }
        XCTAssertTrue(reader.flag("all").fires())
        XCTAssertTrue(reader.flag("all").fires())
        XCTAssertEqual((0..<4).map { _ in reader.flag("half").fires() }, Array(draws[2..<6]),
                       "two fires() on the percent-100 flag took draws 1 and 2")
    }
}
