import ChaosTestSupport
import ChaosCore
@testable import ChaosNet
import XCTest

final class NetemSpecTests: XCTestCase {
    private func pct(_ p: Double) -> UInt32 { TcUnits.scalePercent(p) }

    func testLossPhrasesAndTcDefaults() throws {
        XCTAssertEqual(try NetemLoss.parse("5%"), .random(probability: pct(5), correlation: 0))
        XCTAssertEqual(try NetemLoss.parse("5%", correlation: pct(25)), .random(probability: pct(5), correlation: pct(25)))
        XCTAssertEqual(try NetemLoss.parse("random 5% 25%"), .random(probability: pct(5), correlation: pct(25)))
        XCTAssertEqual(try NetemLoss.parse("gemodel 1% 10% 70% 0.1%"),
                       .gilbertElliott(p: pct(1), r: pct(10), oneMinusH: pct(70), oneMinusK: pct(0.1)))
        // tc: gemodel P alone means r = 100 %, 1-h = 0, 1-k = 0.
        XCTAssertEqual(try NetemLoss.parse("gemodel 1%"), .gilbertElliott(p: pct(1), r: UInt32.max, oneMinusH: 0, oneMinusK: 0))
        XCTAssertEqual(try NetemLoss.parse("state,1%,10%"),
                       .fourState(p13: pct(1), p31: pct(10), p32: 0, p23: 0, p14: 0))
        XCTAssertEqual(try NetemLoss.parse("state 1%"), .fourState(p13: pct(1), p31: UInt32.max, p32: 0, p23: 0, p14: 0))
        XCTAssertThrowsError(try NetemLoss.parse("gemodel 1% 2% 3% 4% 5%"))
        XCTAssertThrowsError(try NetemLoss.parse("gemodel 150%"))
        XCTAssertThrowsError(try NetemLoss.parse(""))
        XCTAssertThrowsError(try NetemLoss.parse("bursty 5%"))
    }

    private func refused(_ spec: NetemSpec, mentioning word: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try spec.validate(), file: file, line: line) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage, file: file, line: line)
            XCTAssertTrue("\(error)".contains(word), "\(error)", file: file, line: line)
        }
    }

    func testValidationRefusesWhatTcRefuses() throws {
        var s = NetemSpec()
        refused(s, mentioning: "nothing to do")
        s.delayNs = 100_000_000
        XCTAssertNoThrow(try s.validate())
        var d = s; d.distribution = .table(name: "normal")
        refused(d, mentioning: "--jitter")
        var r = NetemSpec(); r.reorder = pct(25); r.loss = .random(probability: 1, correlation: 0)
        refused(r, mentioning: "--delay")
        var e = s; e.ecn = true
        refused(e, mentioning: "--loss")
        var g = s; g.gap = 5
        refused(g, mentioning: "--reorder")
        var l = s; l.limit = 0
        refused(l, mentioning: "--limit")
        var c = NetemSpec(); c.jitterNs = 1000; c.loss = .random(probability: 1, correlation: 0)
        refused(c, mentioning: "--delay")
        var sl = s; sl.slot = .init(minDelayNs: 20, maxDelayNs: 10)
        refused(sl, mentioning: "--slot")
    }

    func testReorderWithoutGapMeansGapOneAsInTc() {
        var s = NetemSpec()
        s.delayNs = 10_000_000
        s.reorder = pct(25)
        XCTAssertEqual(s.effectiveGap, 1)
        s.gap = 5
        XCTAssertEqual(s.effectiveGap, 5)
    }

    func testSummaryReadsLikeTc() {
        var s = NetemSpec()
        s.delayNs = 100_000_000
        s.jitterNs = 20_000_000
        s.delayCorrelation = pct(25)
        s.distribution = .table(name: "normal")
        s.loss = .random(probability: pct(5), correlation: 0)
        XCTAssertEqual(s.summary, "limit 1000 delay 100ms 20ms 25% distribution normal loss 5%")
    }

    func testDistributionTableFormat() throws {
        let table = try DelayDistribution.parseTable("# comment\n 1 -2\t3\n-32768 32767 # tail\n", source: "t")
        XCTAssertEqual(table, [1, -2, 3, -32768, 32767])
        XCTAssertThrowsError(try DelayDistribution.parseTable("1 2 40000", source: "t"))
        XCTAssertThrowsError(try DelayDistribution.parseTable("# only comments", source: "t"))
        let tooLong = Array(repeating: "1", count: DelayDistribution.maxEntries + 1).joined(separator: " ")
        XCTAssertThrowsError(try DelayDistribution.parseTable(tooLong, source: "t"))
        XCTAssertNil(try DelayDistribution.uniform.load())
        XCTAssertThrowsError(try DelayDistribution.table(name: "no-such-shape").load()) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
        }
    }

    func testSystemNormalTableLoadsWhenIproute2IsInstalled() throws {
        guard DelayDistribution.searchPaths().contains(where: { FileManager.default.fileExists(atPath: $0 + "/normal.dist") }) else {
            throw fixtureUnavailable("iproute2's normal.dist is not installed")
        }
        let table = try XCTUnwrap(try DelayDistribution.table(name: "normal").load())
        XCTAssertGreaterThan(table.count, 1000)
        XCTAssertLessThanOrEqual(table.count, DelayDistribution.maxEntries)
    }
}
