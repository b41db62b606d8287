import ChaosControl
import Foundation
import XCTest

final class ValidationTests: XCTestCase {
    /// Wraps one flag body in an otherwise valid document.
    private func document(flag name: String = "slow-db", _ body: String) -> Data {
        Data(#"{"version": 1, "generation": 1, "flags": {"\#(name)": \#(body)}}"#.utf8)
    }

    private func decodeError(_ data: Data, path: String? = "/tmp/c.json",
                             file: StaticString = #filePath, line: UInt = #line) -> ControlFileError? {
        do {
            _ = try ControlDocument.decode(data, path: path)
            XCTFail("expected a decoding error", file: file, line: line)
            return nil
        } catch let error as ControlFileError {
            return error
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return nil
        }
    }

    func testExampleMessageFromTheSpec() throws {
        let error = try XCTUnwrap(decodeError(document(#"{"enabled": true, "percent": 150}"#)))
        XCTAssertEqual(error.description, #"/tmp/c.json: flag "slow-db": field "percent": 150 is out of range 0-100"#)
        XCTAssertEqual(error.path, "/tmp/c.json")
        XCTAssertEqual(error.flag, "slow-db")
        XCTAssertEqual(error.field, "percent")
        XCTAssertEqual(error.value, "150")
        XCTAssertEqual(error.reason, "is out of range 0-100")
        XCTAssertEqual(error.kind, .invalidValue)
    }

    func testEveryFlagFieldErrorNamesFlagFieldAndValue() throws {
        let cases: [(body: String, field: String, value: String?)] = [
            (#"{"percent": 5}"#, "enabled", nil),
            (#"{"enabled": "yes"}"#, "enabled", #""yes""#),
            (#"{"enabled": 1}"#, "enabled", "1"),
            (#"{"enabled": true, "percent": -1}"#, "percent", "-1"),
            (#"{"enabled": true, "percent": "50"}"#, "percent", #""50""#),
            (#"{"enabled": true, "percent": true}"#, "percent", "true"),
            (#"{"enabled": true, "latency_ms": -5}"#, "latency_ms", "-5"),
            (#"{"enabled": true, "latency_ms": 1.5}"#, "latency_ms", "1.5"),
            (#"{"enabled": true, "latency_ms": 86400001}"#, "latency_ms", "86400001"),
            (#"{"enabled": true, "jitter_ms": "10"}"#, "jitter_ms", #""10""#),
            (#"{"enabled": true, "mode": "boom"}"#, "mode", #""boom""#),
            (#"{"enabled": true, "severity": "medium"}"#, "severity", #""medium""#),
            (#"{"enabled": true, "expires_at": "tomorrow"}"#, "expires_at", #""tomorrow""#),
            (#"{"enabled": true, "expires_at": 1700000000}"#, "expires_at", "1700000000"),
            (#"{"enabled": true, "max_hits": 0}"#, "max_hits", "0"),
            (#"{"enabled": true, "max_hits": 2.5}"#, "max_hits", "2.5"),
            (#"{"enabled": true, "params": []}"#, "params", "an array"),
            (#"{"enabled": true, "params": {"nested": {"a": 1}}}"#, "params.nested", "an object"),
            (#"{"enabled": true, "params": {"nothing": null}}"#, "params.nothing", "null"),
        ]
        for testCase in cases {
            guard let error = decodeError(document(testCase.body)) else { continue }
            XCTAssertEqual(error.flag, "slow-db", testCase.body)
            XCTAssertEqual(error.field, testCase.field, testCase.body)
            XCTAssertEqual(error.value, testCase.value, testCase.body)
            XCTAssertEqual(error.kind, .invalidValue, testCase.body)
            XCTAssertTrue(error.description.hasPrefix(#"/tmp/c.json: flag "slow-db": field "\#(testCase.field)": "#),
                          error.description)
            if let value = testCase.value {
                XCTAssertTrue(error.description.contains(value), error.description)
            }
        }
    }

    func testInvalidFlagNamesAndShapes() throws {
        for name in ["Slow-DB", "slow db", "", String(repeating: "a", count: 129), "naïve"] {
            let error = try XCTUnwrap(decodeError(document(flag: name, #"{"enabled": true}"#)), name)
            XCTAssertEqual(error.flag, name)
            XCTAssertTrue(error.reason.contains("^[a-z0-9._-]{1,128}$"), error.description)
        }
        let notObject = try XCTUnwrap(decodeError(document("true")))
        XCTAssertEqual(notObject.flag, "slow-db")
        XCTAssertEqual(notObject.value, "true")
        XCTAssertNoThrow(try FlagValidation.validateName(String(repeating: "a", count: 128)))
        XCTAssertNoThrow(try FlagValidation.validateName("rate-limit-spike.v2_eu"))
    }

    func testTopLevelErrors() throws {
        let cases: [(json: String, kind: ControlFileError.Kind, field: String?, contains: String)] = [
            ("not json", .malformedJSON, nil, "is not valid JSON"),
            ("[1, 2]", .malformedJSON, nil, "top level must be a JSON object"),
            (#"{"generation": 1, "flags": {}}"#, .invalidValue, "version", "is required"),
            (#"{"version": "1", "generation": 1, "flags": {}}"#, .invalidValue, "version", "must be an integer"),
            (#"{"version": 0, "generation": 1, "flags": {}}"#, .invalidValue, "version", "must be at least 1"),
            (#"{"version": 2, "generation": 1, "flags": "whatever"}"#, .unsupportedVersion, nil, "unsupported version 2"),
            (#"{"version": 1, "flags": {}}"#, .invalidValue, "generation", "is required"),
            (#"{"version": 1, "generation": -3, "flags": {}}"#, .invalidValue, "generation", "-3"),
            (#"{"version": 1, "generation": 1}"#, .invalidValue, "flags", "is required"),
            (#"{"version": 1, "generation": 1, "flags": []}"#, .invalidValue, "flags", "must be an object"),
            (#"{"version": 1, "generation": 1, "updated_at": "noon", "flags": {}}"#, .invalidValue, "updated_at", "RFC 3339"),
            (#"{"version": 1, "generation": 1, "updated_by": 5, "flags": {}}"#, .invalidValue, "updated_by", "must be a string"),
        ]
        for testCase in cases {
            guard let error = decodeError(Data(testCase.json.utf8)) else { continue }
            XCTAssertEqual(error.kind, testCase.kind, testCase.json)
            XCTAssertEqual(error.field, testCase.field, testCase.json)
            XCTAssertNil(error.flag, testCase.json)
            XCTAssertTrue(error.description.hasPrefix("/tmp/c.json: "), error.description)
            XCTAssertTrue(error.description.contains(testCase.contains), error.description)
        }
    }

    func testOneBadFlagRejectsTheWholeFile() {
        let data = Data(#"{"version": 1, "generation": 1, "flags": {"a": {"enabled": true}, "b": {"enabled": true, "percent": 101}}}"#.utf8)
        XCTAssertThrowsError(try ControlDocument.decode(data))
    }

    func testEncodingRefusesAnInvalidModel() {
        var document = ControlDocument()
        document.flags["slow-db"] = Flag(percent: 250)
        XCTAssertThrowsError(try document.encoded()) { error in
            XCTAssertEqual("\(error)", #"flag "slow-db": field "percent": 250 is out of range 0-100"#)
        }
        document.flags = ["Bad Name": Flag()]
        XCTAssertThrowsError(try document.encoded()) { error in
            XCTAssertEqual((error as? ControlFileError)?.flag, "Bad Name")
        }
        document.flags = ["ok": Flag(maxHits: 0)]
        XCTAssertThrowsError(try document.encoded()) { error in
            XCTAssertEqual((error as? ControlFileError)?.field, "max_hits")
            XCTAssertEqual((error as? ControlFileError)?.value, "0")
        }
    }
}
