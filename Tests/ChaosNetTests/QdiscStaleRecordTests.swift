import ChaosCore
@testable import ChaosNet
import XCTest

/// A stale netem/tbf record (its qdisc removed by hand, its holder gone) must not, when
/// recovered, remove the chaosctl qdisc a later fault installed (issue #11 item 5).
final class QdiscStaleRecordTests: NetnsPairTestCase {
    func testStaleRecordLeavesTheQdiscOfALaterFault() throws {
        let lifecycle = FaultLifecycle(journal: FaultJournal(directory: state), reverters: QdiscReverter.all)
        let place = QdiscFaultTarget(target: .named(pair.a), device: pair.devA)
        let spec = TbfSpec(rateBytesPerSecond: 125_000, burstBytes: 10_000, limitBytes: 20_000)
        let stale = try lifecycle.apply(try TbfFault(spec, on: place), held: false)
        // Someone removes it by hand; the record stays behind.
        XCTAssertEqual(sh(["tc", "-n", pair.a, "qdisc", "del", "dev", pair.devA, "root"]).status, 0)
        let later = try lifecycle.apply(try TbfFault(spec, on: place), held: false)
        XCTAssertTrue(pair.qdiscs(ns: pair.a, dev: pair.devA).contains("tbf ca05: root"))

        let result = try lifecycle.revert(stale)
        XCTAssertTrue(pair.qdiscs(ns: pair.a, dev: pair.devA).contains("tbf ca05: root"),
                      "the stale record removed the later fault's qdisc")
        XCTAssertTrue(result.leftAlone.first?.contains(later.id) ?? false, "\(result.leftAlone)")
        // The later fault's own revert still removes it.
        XCTAssertEqual(try lifecycle.revert(later).leftAlone, [])
        XCTAssertFalse(pair.qdiscs(ns: pair.a, dev: pair.devA).contains("ca05:"))
    }
}
