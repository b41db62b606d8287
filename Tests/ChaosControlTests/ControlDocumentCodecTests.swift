import ChaosControl
import Foundation
import XCTest

final class ControlDocumentCodecTests: XCTestCase {
    private let sample = """
    {
      "version": 1,
      "generation": 7,
      "updated_at": "2026-11-22T17:05:00.250Z",
      "updated_by": "alice",
      "x-owner": {"team": "payments", "tags": ["a", 1, true, null]},
      "flags": {
        "slow-db": {"enabled": true, "percent": 50, "latency_ms": 200, "jitter_ms": 150,
                    "expires_at": "2026-11-22T19:05:00+02:00", "max_hits": 3,
                    "params": {"table": "orders", "factor": 1.5, "strict": false},
                    "x-note": "added by a newer writer"},
        "fail-auth": {"enabled": false, "mode": "fallback", "severity": "hard", "percent": 12.5}
      }
    }
    """

    func testDecodesEveryField() throws {
        let document = try ControlDocument.decode(Data(sample.utf8))
        XCTAssertEqual(document.version, 1)
        XCTAssertEqual(document.generation, 7)
        XCTAssertEqual(document.updatedBy, "alice")
        XCTAssertEqual(document.updatedAt.map(RFC3339.format), "2026-11-22T17:05:00.250Z")
        let slow = try XCTUnwrap(document.flags["slow-db"])
        XCTAssertTrue(slow.enabled)
        XCTAssertEqual(slow.percent, 50)
        XCTAssertEqual(slow.latencyMilliseconds, 200)
        XCTAssertEqual(slow.jitterMilliseconds, 150)
        XCTAssertEqual(slow.maxHits, 3)
        XCTAssertEqual(slow.expiresAt.map(RFC3339.format), "2026-11-22T17:05:00Z")
        XCTAssertEqual(slow.params, ["table": .string("orders"), "factor": .number(1.5), "strict": .bool(false)])
        XCTAssertEqual(slow.unknownFields, ["x-note": .string("added by a newer writer")])
        let auth = try XCTUnwrap(document.flags["fail-auth"])
        XCTAssertFalse(auth.enabled)
        XCTAssertEqual(auth.mode, .fallback)
        XCTAssertEqual(auth.severity, .hard)
        XCTAssertEqual(auth.percent, 12.5)
        XCTAssertEqual(document.unknownFields["x-owner"],
                       .sortedObject(["team": .string("payments"),
                                "tags": .array([.string("a"), .integer(1), .bool(true), .null])]))
    }

    func testRoundTripPreservesUnknownFieldsAndIsDeterministic() throws {
        let document = try ControlDocument.decode(Data(sample.utf8))
        let encoded = try document.encoded()
        let again = try ControlDocument.decode(encoded)
        XCTAssertEqual(again, document)
        XCTAssertEqual(try again.encoded(), encoded, "encoding the same document must give the same bytes")

        let text = String(decoding: encoded, as: UTF8.self)
        XCTAssertTrue(text.contains("\"x-note\" : \"added by a newer writer\""), text)
        XCTAssertTrue(text.contains("\"x-owner\""), text)
        XCTAssertTrue(text.hasSuffix("}\n"))
        // Sorted keys: "fail-auth" before "slow-db", "enabled" before "percent".
        let failAuth = try XCTUnwrap(text.range(of: "\"fail-auth\""))
        let slowDB = try XCTUnwrap(text.range(of: "\"slow-db\""))
        XCTAssertLessThan(failAuth.lowerBound, slowDB.lowerBound)
        // Integral numbers stay integers; booleans stay booleans.
        XCTAssertTrue(text.contains("\"percent\" : 50,"), text)
        XCTAssertTrue(text.contains("\"strict\" : false"), text)
    }

    func testEmptyDocumentEncodesMinimalFile() throws {
        let text = String(decoding: try ControlDocument().encoded(), as: UTF8.self)
        XCTAssertEqual(text, "{\n  \"flags\" : {\n\n  },\n  \"generation\" : 0,\n  \"version\" : 1\n}\n")
    }

    func testRFC3339ParsesOffsetsAndFractions() throws {
        let utc = try XCTUnwrap(RFC3339.parse("2024-02-29T23:59:59Z"))
        XCTAssertEqual(utc.timeIntervalSince1970, 1_709_251_199)
        let offset = try XCTUnwrap(RFC3339.parse("2024-03-01T01:59:59.5+02:00"))
        XCTAssertEqual(offset.timeIntervalSince1970, 1_709_251_199.5)
        XCTAssertEqual(RFC3339.format(offset), "2024-02-29T23:59:59.500Z")
        XCTAssertEqual(RFC3339.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
        for bad in ["2024-02-30T00:00:00Z", "2024-01-01 00:00:00", "2024-01-01T00:00:00", "yesterday",
                    "2024-13-01T00:00:00Z", "2024-01-01T00:00:00.Z", "2024-01-01T24:00:00Z"] {
            XCTAssertNil(RFC3339.parse(bad), bad)
        }
    }

    func testFlagAssignFromTextForTheCLI() throws {
        var flag = Flag()
        try flag.assign("percent", fromText: "30", flag: "slow-db")
        try flag.assign("latency_ms", fromText: "250", flag: "slow-db")
        try flag.assign("mode", fromText: "fallback", flag: "slow-db")
        try flag.assign("expires_at", fromText: "2030-01-01T00:00:00Z", flag: "slow-db")
        try flag.assign("params.region", fromText: "eu-west-1", flag: "slow-db")
        try flag.assign("params.weight", fromText: "2", flag: "slow-db")
        XCTAssertEqual(flag.percent, 30)
        XCTAssertEqual(flag.latencyMilliseconds, 250)
        XCTAssertEqual(flag.mode, .fallback)
        XCTAssertEqual(flag.params, ["region": .string("eu-west-1"), "weight": .number(2)])

        XCTAssertThrowsError(try flag.assign("percent", fromText: "150", flag: "slow-db")) { error in
            XCTAssertEqual("\(error)", "flag \"slow-db\": field \"percent\": 150 is out of range 0-100")
        }
        XCTAssertThrowsError(try flag.assign("colour", fromText: "red", flag: "slow-db")) { error in
            XCTAssertEqual((error as? ControlFileError)?.field, "colour")
        }
        XCTAssertEqual(flag.percent, 30, "a rejected assignment must not change the flag")
    }
}
