@testable import ChaosLoad
import Foundation
import XCTest

final class K6OutputReaderTests: XCTestCase {
    /// The hand-written scanner against Foundation's JSON parser on a real k6 v1.1.0 output.
    func testRealK6OutputMatchesAnIndependentParse() throws {
        let path = fixturePath("k6-v1.1.0-out.json")
        let reader = K6OutputReader(path: path)
        var sink = CollectingSink()
        reader.finish(into: &sink)

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var expected: [(time: Date, value: Double, failed: Bool, name: String)] = []
        for line in lines {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["type"] as? String == "Point", object["metric"] as? String == "http_req_duration" else { continue }
            let data = try XCTUnwrap(object["data"] as? [String: Any])
            let tags = try XCTUnwrap(data["tags"] as? [String: String])
            let time = try XCTUnwrap(data["time"] as? String)
            // ISO8601DateFormatter takes at most milliseconds.
            let trimmed = String(time.prefix(23)) + "Z"
            expected.append((try XCTUnwrap(iso.date(from: trimmed)), try XCTUnwrap(data["value"] as? Double),
                             tags["expected_response"] == "false", try XCTUnwrap(tags["name"])))
        }
        XCTAssertEqual(reader.counts.lines, lines.count)
        XCTAssertEqual(reader.counts.requests, expected.count)
        XCTAssertEqual(reader.counts.unreadableLines, 0)
        XCTAssertEqual(reader.problems, [])
        XCTAssertEqual(sink.samples.count, expected.count)
        XCTAssertGreaterThan(expected.filter(\.failed).count, 0, "the fixture holds 503s")
        for (sample, want) in zip(sink.samples, expected) {
            XCTAssertEqual(sample.latencyMilliseconds, want.value, accuracy: 1e-9)
            XCTAssertEqual(sample.outcome, want.failed ? .failure : .success)
            XCTAssertEqual(sample.name, want.name)
            XCTAssertEqual(Double(sample.wallNanoseconds) / 1e9, want.time.timeIntervalSince1970, accuracy: 0.001)
        }
    }

    func testTimestampsWithOffsetsAndShortFractions() {
        func parse(_ text: String) -> Int64? {
            Array(text.utf8).withUnsafeBufferPointer { RFC3339Time.nanoseconds($0.baseAddress!, count: $0.count) }
        }
        XCTAssertEqual(parse("1970-01-01T00:00:00Z"), 0)
        XCTAssertEqual(parse("2026-12-03T12:29:19.25026671Z"), 1_796_300_959_250_266_710)
        XCTAssertEqual(parse("2026-12-03T13:29:19.25026671+01:00"), parse("2026-12-03T12:29:19.25026671Z"))
        XCTAssertEqual(parse("2026-12-03T07:59:19.5-04:30"), parse("2026-12-03T12:29:19.5Z"))
        XCTAssertEqual(parse("2024-02-29T00:00:00Z"), 1_709_164_800_000_000_000)
        XCTAssertNil(parse("2026-12-03 12:29"))
        XCTAssertNil(parse("2026-13-03T12:29:19Z"))
        XCTAssertNil(parse("2026-12-03T12:29:19"))
        // Int64 nanoseconds end in April 2262 and begin in 1677 (found by fuzz-load-output:
        // this overflowed and trapped instead of refusing the stamp).
        XCTAssertEqual(parse("2262-04-11T23:47:16.854775807Z"), Int64.max)
        XCTAssertNil(parse("2262-04-11T23:47:16.854775808Z"))
        XCTAssertNil(parse("4052-12-03T15:52:20.548810259Z"))
        XCTAssertNil(parse("1677-09-21T00:12:43.145224191Z"))
        XCTAssertNotNil(parse("1677-09-22T00:00:00Z"))
    }

    /// A k6 line stamped past 2262 (fuzz/regressions/load-output/k6-time-past-year-2262) is an
    /// unreadable line, named with its number; the other requests are read.
    func testATimeBeyondTheNanosecondRangeIsAnUnreadableLine() throws {
        let folder = try temporaryDirectory("k6year")
        let path = folder + "/out.json"
        try append("""
        {"metric":"http_req_duration","type":"Point","data":{"time":"9999-12-03T12:29:17Z","value":5,"tags":null}}
        {"metric":"http_req_duration","type":"Point","data":{"time":"2026-12-03T12:29:17Z","value":5,"tags":null}}

        """, to: path)
        let reader = K6OutputReader(path: path)
        var sink = CollectingSink()
        reader.finish(into: &sink)
        XCTAssertEqual(sink.samples.count, 1)
        XCTAssertEqual(reader.counts.unreadableLines, 1)
        XCTAssertTrue(reader.problems.first?.description.hasPrefix(path + ":1: not k6 JSON output: expected an RFC 3339 time") == true,
                      "\(reader.problems)")
    }

    func testNullTagsGiveAnUnknownOutcomeAndEscapedNamesAreDecoded() throws {
        let folder = try temporaryDirectory("k6tags")
        let path = folder + "/out.json"
        try append("""
        {"metric":"http_req_duration","type":"Point","data":{"time":"2026-12-03T12:29:17Z","value":5,"tags":null}}
        {"metric":"http_req_duration","type":"Point","data":{"time":"2026-12-03T12:29:17Z","value":1.5e1,"tags":{"name":"GET \\"/a\\"\\u00e9","status":"500"}}}
        {"metric":"vus","type":"Point","data":{"time":"2026-12-03T12:29:17Z","value":2,"tags":{}}}

        """, to: path)
        let reader = K6OutputReader(path: path)
        var sink = CollectingSink()
        reader.finish(into: &sink)
        XCTAssertEqual(sink.samples.map(\.outcome), [.unknown, .failure])
        XCTAssertEqual(sink.samples.last?.name, "GET \"/a\"é")
        XCTAssertEqual(sink.samples.last?.latencyMilliseconds, 15)
        XCTAssertEqual(reader.counts.unknownOutcome, 1)
        XCTAssertEqual(reader.counts.otherLines, 1)
    }

    /// Bad input: a line cut in the middle of the file, garbage, and a last line without its
    /// newline (a generator killed mid-write) are each counted with their line number.
    func testMalformedAndTruncatedLinesAreReportedWithLineNumbers() throws {
        let folder = try temporaryDirectory("k6bad")
        let path = folder + "/out.json"
        var lines = try String(contentsOfFile: fixturePath("k6-v1.1.0-out.json"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        lines[9] = String(lines[9].prefix(60))          // line 10: cut short
        lines[19] = "not json at all"                   // line 20
        let last = lines.removeLast()
        try append(lines.joined(separator: "\n") + "\n" + last.prefix(70), to: path)
        let reader = K6OutputReader(path: path)
        var sink = CollectingSink()
        reader.finish(into: &sink)
        XCTAssertEqual(reader.counts.unreadableLines, 3)
        let text = reader.problems.map(\.description)
        XCTAssertTrue(text.contains { $0.hasPrefix(path + ":10: not k6 JSON output") }, "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix(path + ":20: not k6 JSON output") }, "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix(path + ":\(lines.count + 1): last line cut short") }, "\(text)")
        XCTAssertTrue(reader.problems.allSatisfy { $0.effect == .lostData })
    }

    func testNothingWrittenIsAProblemNotAnEmptyPass() throws {
        let folder = try temporaryDirectory("k6none")
        let never = K6OutputReader(path: folder + "/never.json")
        var sink = CollectingSink()
        never.finish(into: &sink)
        XCTAssertEqual(never.problems.map(\.message), ["the generator never created this file: no request was measured"])
        _ = FileManager.default.createFile(atPath: folder + "/empty.json", contents: Data())
        let empty = K6OutputReader(path: folder + "/empty.json")
        empty.finish(into: &sink)
        XCTAssertEqual(empty.problems.map(\.message), ["the generator wrote nothing to this file: no request was measured"])
    }
}
