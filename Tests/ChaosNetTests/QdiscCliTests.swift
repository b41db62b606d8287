import ChaosCore
@testable import ChaosNet
import XCTest

/// chaosctl's tbf/netem commands  on this kernel: expiry, detach +
/// clear, peak rate, and a stray ca05: qdisc with no journal record.
final class QdiscCliTests: XCTestCase {
    private var pair: NetnsPair!
    private var state: String!
    private var probe: String!

    override func setUpWithError() throws {
        try requireRootAndIproute2()
        probe = try probePath()
        pair = try NetnsPair(tag: "c")
        state = temporaryStateDirectory()
    }

    override func tearDown() {
        pair?.destroy()
        if let state { try? FileManager.default.removeItem(atPath: state) }
    }

    private func cli(_ args: [String]) -> (status: Int32, output: String) {
        sh([probe] + args + ["--netns", pair.a], environment: ["CHAOSCTL_STATE_DIR": state])
    }

    func testForRevertsOnExpiry() {
        let started = Date()
        let r = cli(["tbf", "apply", "--dev", pair.devA, "--rate", "1mbit", "--burst", "10k", "--limit", "20k", "--for", "2s"])
        let took = Date().timeIntervalSince(started)
        XCTAssertEqual(r.status, 0, r.output)
        XCTAssertTrue(r.output.contains("holding for 2s"), r.output)
        XCTAssertTrue(r.output.contains("(time is up)"), r.output)
        XCTAssertGreaterThanOrEqual(took, 2)
        XCTAssertLessThan(took, 15)
        XCTAssertFalse(pair.qdiscs(ns: pair.a, dev: pair.devA).contains("ca05:"))
        XCTAssertTrue(FaultJournal(directory: state).records().records.isEmpty)
    }

    func testDetachShowAndClearRestoreTheForeignRoot() {
        XCTAssertEqual(sh(["tc", "-n", pair.a, "qdisc", "add", "dev", pair.devA, "root", "handle", "3:", "bfifo", "limit", "9000"]).status, 0)
        let before = pair.qdiscs(ns: pair.a, dev: pair.devA)
        let refused = cli(["tbf", "apply", "--dev", pair.devA, "--rate", "1mbit", "--burst", "10k", "--limit", "20k", "--detach"])
        XCTAssertEqual(refused.status, ExitCode.conflict.rawValue, refused.output)
        let applied = cli(["tbf", "apply", "--dev", pair.devA, "--rate", "1mbit", "--burst", "10k", "--limit", "20k", "--detach", "--force"])
        XCTAssertEqual(applied.status, 0, applied.output)
        let shown = cli(["tbf", "show", "--dev", pair.devA])
        XCTAssertTrue(shown.output.contains("tbf ca05: root rate 1Mbit burst 10Kb limit 20480b  [chaosctl]"), shown.output)
        XCTAssertTrue(shown.output.contains("(detached)"), shown.output)
        let again = cli(["netem", "apply", "--dev", pair.devA, "--delay", "10ms", "--detach", "--force"])
        XCTAssertEqual(again.status, ExitCode.conflict.rawValue, again.output)
        XCTAssertTrue(again.output.contains("already has a chaosctl qdisc"), again.output)
        let cleared = cli(["tbf", "clear", "--dev", pair.devA])
        XCTAssertEqual(cleared.status, 0, cleared.output)
        XCTAssertTrue(cleared.output.contains("previous root qdisc bfifo 3: restored"), cleared.output)
        XCTAssertEqual(pair.qdiscs(ns: pair.a, dev: pair.devA), before)
        XCTAssertTrue(FaultJournal(directory: state).records().records.isEmpty)
        XCTAssertTrue(cli(["tbf", "clear", "--dev", pair.devA]).output.contains("nothing to clear"))
    }

    func testClearRemovesAnUnjournaledChaosctlQdisc() {
        // As if the journal were lost: a ca05: root nobody has a record for.
        XCTAssertEqual(sh(["tc", "-n", pair.a, "qdisc", "add", "dev", pair.devA, "root", "handle", "ca05:",
                           "tbf", "rate", "1mbit", "burst", "10k", "limit", "20k"]).status, 0)
        let cleared = cli(["netem", "clear", "--dev", pair.devA])
        XCTAssertEqual(cleared.status, 0, cleared.output)
        XCTAssertTrue(cleared.output.contains("removed unjournaled chaosctl tbf qdisc ca05:"), cleared.output)
        XCTAssertFalse(pair.qdiscs(ns: pair.a, dev: pair.devA).contains("ca05:"))
    }

    func testPeakRateAgreesWithTc() throws {
        let r = cli(["tbf", "apply", "--dev", pair.devA, "--rate", "1mbit", "--burst", "10k", "--latency", "50ms",
                     "--peakrate", "2mbit", "--mtu", "1600", "--detach"])
        XCTAssertEqual(r.status, 0, r.output)
        let line = pair.qdiscs(ns: pair.a, dev: pair.devA)
        XCTAssertTrue(line.contains("peakrate 2Mbit"), line)
        XCTAssertTrue(line.contains("minburst 1600b"), line)
        let tbf = try XCTUnwrap(try QdiscControl(target: .named(pair.a), device: pair.devA).root()?.tbf)
        XCTAssertEqual(tbf.peakRateBytesPerSecond, 250_000)
        XCTAssertEqual(tbf.mtuBytes, 1600)
        // limit = min(rate × 50ms + burst, peak × 50ms + mtu) = min(16490, 14100)
        XCTAssertEqual(tbf.limitBytes, 14_100)
        XCTAssertEqual(cli(["tbf", "clear", "--dev", pair.devA]).status, 0)
    }
}
