@testable import ChaosLoad
import Foundation
import XCTest

final class JSONLRequestReaderTests: XCTestCase {
    func testMappedFieldsNestedPathsAndUnits() throws {
        let folder = try temporaryDirectory("jsonl")
        let path = folder + "/requests.jsonl"
        try append("""
        {"at":"2026-12-03T12:29:17.5Z","timing":{"total":0.120},"code":200,"route":"/a"}
        {"at":"2026-12-03T12:29:18Z","timing":{"total":0.050},"code":"503","route":"/b"}
        {"at":"2026-12-03T12:29:19Z","timing":{"total":0.010},"route":"/c"}
        {"at":1796300959,"timing":{"total":0.010},"code":200}

        """, to: path)
        let mapping = JSONLFieldMapping(timestamp: "at", timestampUnit: .rfc3339, latency: "timing.total", latencyUnit: .seconds,
                                        verdict: .status(field: "code"), name: "route")
        let reader = JSONLRequestReader(path: path, mapping: mapping)
        var sink = CollectingSink()
        reader.finish(into: &sink)
        XCTAssertEqual(sink.samples.map(\.outcome), [.success, .failure])
        XCTAssertEqual(sink.samples.map(\.name), ["/a", "/b"])
        XCTAssertEqual(sink.samples[0].latencyMilliseconds, 120, accuracy: 1e-9)
        XCTAssertEqual(sink.samples[0].wallNanoseconds, 1_796_300_957_500_000_000)
        XCTAssertEqual(reader.counts.unreadableLines, 2)
        XCTAssertEqual(reader.problems.map(\.description), [
            path + ":3: field 'code': missing or not a status number: '{\"at\":\"2026-12-03T12:29:19Z\",\"timing\":{\"total\":0.010},\"route\":\"/c\"}'",
            path + ":4: field 'at': missing or not an RFC 3339 time: '{\"at\":1796300959,\"timing\":{\"total\":0.010},\"code\":200}'",
        ])
    }

    func testBooleanSuccessAndEpochMilliseconds() throws {
        let folder = try temporaryDirectory("jsonlbool")
        let path = folder + "/requests.jsonl"
        try append("{\"ts\":1796300957500,\"ms\":7,\"ok\":false}\n{\"ts\":1796300957600,\"ms\":3,\"ok\":true}\n", to: path)
        let mapping = JSONLFieldMapping(timestamp: "ts", timestampUnit: .milliseconds, latency: "ms", latencyUnit: .milliseconds,
                                        verdict: .success(field: "ok"))
        let reader = JSONLRequestReader(path: path, mapping: mapping)
        var sink = CollectingSink()
        reader.finish(into: &sink)
        XCTAssertEqual(sink.samples.map(\.outcome), [.failure, .success])
        XCTAssertEqual(sink.samples[0].wallNanoseconds, 1_796_300_957_500_000_000)
        XCTAssertEqual(reader.problems, [])
    }

    /// An RFC 3339 stamp past 2262 (fuzz/regressions/load-output/jsonl-time-past-year-2262)
    /// is an unreadable line naming the field, not a crash.
    func testATimeBeyondTheNanosecondRangeIsAnUnreadableLine() throws {
        let folder = try temporaryDirectory("jsonlyear")
        let path = folder + "/requests.jsonl"
        try append("{\"time\":\"4052-12-03T15:52:20.5Z\",\"d\":7,\"status\":200}\n" +
                   "{\"time\":\"2026-12-03T15:52:20.5Z\",\"d\":7,\"status\":200}\n", to: path)
        let mapping = JSONLFieldMapping(timestamp: "time", timestampUnit: .rfc3339, latency: "d", latencyUnit: .milliseconds,
                                        verdict: .status(field: "status"))
        let reader = JSONLRequestReader(path: path, mapping: mapping)
        var sink = CollectingSink()
        reader.finish(into: &sink)
        XCTAssertEqual(sink.samples.count, 1)
        XCTAssertEqual(reader.counts.unreadableLines, 1)
        XCTAssertTrue(reader.problems.first?.description.contains(":1: field 'time': missing or not an RFC 3339 time") == true,
                      "\(reader.problems)")
    }
}
