@testable import ChaosLoad
import Foundation
import XCTest

final class LocustHistoryReaderTests: XCTestCase {
    /// The real fixture's lines (Locust writes CRLF, Python's csv module).
    private func fixtureLines() throws -> [String] {
        try String(contentsOfFile: fixturePath("locust-2.47.0_stats_history.csv"), encoding: .utf8)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// Reads the fixture written to `path` with `header` appended to its header and `row` to
    /// every row.
    private func readFixture(appending header: String, row: String, at path: String) throws -> LocustHistoryReader {
        let lines = try fixtureLines()
        try append(lines.map { $0 + ($0 == lines[0] ? header : row) }.joined(separator: "\r\n") + "\r\n", to: path)
        let reader = LocustHistoryReader(path: path)
        reader.finish()
        return reader
    }

    func testRealHistoryRows() throws {
        let reader = LocustHistoryReader(path: fixturePath("locust-2.47.0_stats_history.csv"))
        reader.finish()
        XCTAssertTrue(reader.usable)
        XCTAssertEqual(reader.problems, [])
        let aggregate = reader.rows.filter(\.isAggregate)
        XCTAssertEqual(aggregate.map(\.totalRequests), [0, 32, 62, 94, 126])
        XCTAssertNil(aggregate[0].p95Milliseconds, "N/A")
        XCTAssertEqual(aggregate[2].p95Milliseconds, 18)
        XCTAssertEqual(reader.rows.first { !$0.isAggregate }?.name, "/work")
        XCTAssertEqual(reader.rows.first { !$0.isAggregate }?.method, "GET")
    }

    /// Bad input: an unknown column or a missing one refuses the file, naming the column, and
    /// every phase reads "not measured".
    func testUnknownColumnsAreNamedAndMissingOnesRefuseTheFile() throws {
        let folder = try temporaryDirectory("locustcols")
        let original = try String(contentsOfFile: fixturePath("locust-2.47.0_stats_history.csv"), encoding: .utf8)
        let extra = try readFixture(appending: ",Shiny New", row: ",7", at: folder + "/extra_stats_history.csv")
        XCTAssertFalse(extra.usable)
        XCTAssertEqual(extra.rows, [])
        XCTAssertTrue(extra.problems[0].description.contains(":1: unknown column(s) 'Shiny New' in the header"), "\(extra.problems)")

        let missing = folder + "/missing_stats_history.csv"
        try append(original.replacingOccurrences(of: "Total Failure Count", with: "Failure Total"), to: missing)
        let refused = LocustHistoryReader(path: missing)
        refused.finish()
        XCTAssertFalse(refused.usable)
        XCTAssertTrue(refused.problems[0].message.contains("column(s) 'Total Failure Count' missing"), "\(refused.problems)")
        let start = ClockReading(monotonicNanoseconds: 1_000_000_000, wallNanoseconds: 1_796_300_985_000_000_000)
        let plan = LoadPhasePlan.standard(loadStart: start, loadEnd: reading(start, plus: 5), faults: [])
        let summary = LocustPhaseAnalysis.summary(reader: refused, plan: plan)
        XCTAssertTrue(try XCTUnwrap(summary.phases["pre"]?.notMeasured).contains("missing from the header"))
    }

    func testACutRowIsCountedWithItsLine() throws {
        let folder = try temporaryDirectory("locustcut")
        let path = folder + "/cut_stats_history.csv"
        var lines = try String(contentsOfFile: fixturePath("locust-2.47.0_stats_history.csv"), encoding: .utf8)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        lines[3] = String(lines[3].prefix(30))
        try append(lines.joined(separator: "\r\n") + "\r\n", to: path)
        let reader = LocustHistoryReader(path: path)
        reader.finish()
        XCTAssertEqual(reader.counts.unreadableLines, 1)
        XCTAssertEqual(reader.problems.count, 1)
        XCTAssertTrue(reader.problems.first.map(\.description)?.hasPrefix(path + ":4: expected 24 comma-separated fields") == true, "\(reader.problems) \(reader.counts)")
    }

    /// Found by fuzz-load-output (fuzz/regressions/load-output/locust-refused-then-cut): once
    /// the header refused the file, a live poll that ended mid-row left that row's start held,
    /// and `finish` reported it as a last line cut short, which reading the same file at once
    /// did not. A refused file now says only why it was refused, however it was tailed.
    func testARefusedFileSaysTheSameWhetherReadAtOnceOrTailed() throws {
        let folder = try temporaryDirectory("locustrefusedcut")
        let text = try String(contentsOfFile: fixturePath("locust-2.47.0_stats_history.csv"), encoding: .utf8)
            .replacingOccurrences(of: "Total Request Count", with: "Request Total")
        let cut = text.utf8.index(text.utf8.firstIndex(of: 0x0A)!, offsetBy: 20)  // CRLF lines: by byte
        let whole = folder + "/whole_stats_history.csv"
        try append(text, to: whole)
        let atOnce = LocustHistoryReader(path: whole)
        atOnce.finish()
        let tailedPath = folder + "/tailed_stats_history.csv"
        try append(String(text[..<cut]), to: tailedPath)
        let tailed = LocustHistoryReader(path: tailedPath)
        tailed.poll()
        try append(String(text[cut...]), to: tailedPath)
        tailed.finish()
        XCTAssertEqual(tailed.problems.count, 1, "\(tailed.problems)")
        XCTAssertTrue(tailed.problems[0].message.contains("'Total Request Count' missing"), "\(tailed.problems)")
        XCTAssertEqual(tailed.problems.map(\.message), atOnce.problems.map(\.message))
        XCTAssertFalse(tailed.usable)
    }

    /// Found by fuzz-load-output (fuzz/regressions/load-output/locust-duplicate-column): a
    /// header naming a column twice made rows be checked against the number of distinct names,
    /// and a row that short indexed past its end. A repeated column is refused, unknown or
    /// used (the unknown one by the unknown-column rule).
    func testRepeatedColumnsInTheHeader() throws {
        let folder = try temporaryDirectory("locustdup")
        let unknown = try readFixture(appending: ",Extra,Extra", row: ",1,2", at: folder + "/unknown_stats_history.csv")
        XCTAssertFalse(unknown.usable)
        XCTAssertEqual(unknown.rows, [])

        let refused = try readFixture(appending: ",95%", row: ",1", at: folder + "/used_stats_history.csv")
        XCTAssertFalse(refused.usable)
        XCTAssertEqual(refused.rows, [])
        XCTAssertTrue(refused.problems.first?.description.contains(":1: column(s) '95%' appear more than once") == true,
                      "\(refused.problems)")
    }
}
