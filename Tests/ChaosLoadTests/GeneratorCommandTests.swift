import ChaosLoad
import XCTest

final class GeneratorCommandTests: XCTestCase {
    func testK6RunGetsJSONOutputAndSummaryExportInTheReportFolder() throws {
        let prepared = try XCTUnwrap(GeneratorCommand.prepare(["/usr/local/bin/k6", "run", "--vus", "5", "soak.js"], reportDirectory: "/r/"))
        XCTAssertEqual(prepared.tool, .k6)
        XCTAssertEqual(prepared.argv, ["/usr/local/bin/k6", "run", "--out", "json=/r/k6-results.json",
                                       "--summary-export", "/r/k6-summary.json", "--vus", "5", "soak.js"])
        XCTAssertEqual(prepared.resultsPath, "/r/k6-results.json")
        XCTAssertEqual(prepared.summaryPath, "/r/k6-summary.json")
        XCTAssertNil(prepared.problem)
    }

    func testK6OptionsTheUserGaveAreKeptAndRead() throws {
        let argv = ["k6", "run", "-o", "influxdb=http://x", "--out=json=mine.json", "--summary-export=s.json", "t.js"]
        let prepared = try XCTUnwrap(GeneratorCommand.prepare(argv, reportDirectory: "/r"))
        XCTAssertEqual(prepared.argv, argv)
        XCTAssertEqual(prepared.added, [])
        XCTAssertEqual(prepared.resultsPath, "mine.json")
        XCTAssertEqual(prepared.summaryPath, "s.json")

        let gz = try XCTUnwrap(GeneratorCommand.prepare(["k6", "run", "--out", "json=o.json.gz", "t.js"], reportDirectory: "/r"))
        XCTAssertEqual(gz.problem, "k6 writes 'o.json.gz' gzip-compressed, which chaosctl does not read; drop the .gz")
        let stdout = try XCTUnwrap(GeneratorCommand.prepare(["k6", "run", "--out", "json", "t.js"], reportDirectory: "/r"))
        XCTAssertNotNil(stdout.problem)
    }

    func testLocustGetsCSVWithFullHistory() throws {
        let plain = try XCTUnwrap(GeneratorCommand.prepare(["locust", "-f", "l.py", "--headless"], reportDirectory: "/r"))
        XCTAssertEqual(plain.argv, ["locust", "-f", "l.py", "--headless", "--csv", "/r/locust", "--csv-full-history"])
        XCTAssertEqual(plain.resultsPath, "/r/locust_stats_history.csv")
        let own = try XCTUnwrap(GeneratorCommand.prepare(["locust", "--csv=out/run", "--headless"], reportDirectory: "/r"))
        XCTAssertEqual(own.argv, ["locust", "--csv=out/run", "--headless", "--csv-full-history"])
        XCTAssertEqual(own.resultsPath, "out/run_stats_history.csv")
    }

    func testOtherCommandsAreNotTouched() {
        XCTAssertNil(GeneratorCommand.prepare(["wrk", "-d", "10s", "http://x"], reportDirectory: "/r"))
        XCTAssertNil(GeneratorCommand.prepare(["k6", "version"], reportDirectory: "/r"))
        XCTAssertNil(GeneratorCommand.prepare([], reportDirectory: "/r"))
    }
}
