@testable import ChaosLoad
import Foundation
import XCTest

final class K6SummaryExportTests: XCTestCase {
    /// Recorded from k6 v1.1.0 with 25 % errors: `rate<0.01` failed (true), `p(95)<500` held (false).
    func testThresholdsFromARealSummaryExport() throws {
        let summary = try K6SummaryExport.read(path: fixturePath("k6-v1.1.0-summary-export.json"))
        XCTAssertEqual(summary.thresholds, [
            K6Threshold(metric: "http_req_duration", expression: "p(95)<500", failed: false),
            K6Threshold(metric: "http_req_failed", expression: "rate<0.01", failed: true),
        ])
        XCTAssertTrue(summary.anyThresholdFailed)
        XCTAssertEqual(summary.requestCount, 92)
        XCTAssertEqual(try XCTUnwrap(summary.failedRate), 0.25, accuracy: 1e-9)
    }

    func testMissingOrGarbledSummaryNamesTheFile() throws {
        let folder = try temporaryDirectory("k6sum")
        XCTAssertThrowsError(try K6SummaryExport.read(path: folder + "/none.json")) {
            XCTAssertEqual("\($0)", folder + "/none.json: k6 did not write its summary (no such file)")
        }
        try append("{\"metrics\": {\"x\": {\"thresholds\": {\"rate<1\": \"yes\"}}}}", to: folder + "/odd.json")
        XCTAssertThrowsError(try K6SummaryExport.read(path: folder + "/odd.json")) {
            XCTAssertTrue("\($0)".contains("metrics.x.thresholds.rate<1: 'yes' is not true/false"), "\($0)")
        }
    }

    /// fuzz/regressions/load-output/summary-count-past-int-max: a request count no Int holds
    /// trapped when converted; it is now refused, naming the field and the value.
    func testARequestCountNoIntegerHoldsIsRefused() throws {
        for text in ["1e300", "-3", "2.5"] {
            let data = Data("{\"metrics\":{\"http_reqs\":{\"count\":\(text)}}}".utf8)
            XCTAssertThrowsError(try K6SummaryExport.parse(data, path: "/r/summary.json"), text) {
                XCTAssertTrue("\($0)".hasPrefix("/r/summary.json: metrics.http_reqs.count: '"), "\($0)")
                XCTAssertTrue("\($0)".hasSuffix("' is not a count of requests"), "\($0)")
            }
        }
        XCTAssertEqual(try K6SummaryExport.parse(Data("{\"metrics\":{\"http_reqs\":{\"count\":2524}}}".utf8),
                                                 path: "/r/summary.json").requestCount, 2524)
    }
}
