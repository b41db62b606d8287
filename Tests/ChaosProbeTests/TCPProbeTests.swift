import XCTest
@testable import ChaosProbe

final class TCPProbeTests: XCTestCase {
    func testConnectsToListeningSocketAndFailsWhenClosed() throws {
        let listener = try TestTCPListener()
        let probe = TCPProbe(host: "127.0.0.1", port: listener.port, timeout: 1)
        XCTAssertEqual(probe.check(), .healthy)

        listener.close()
        let refused = probe.check()
        XCTAssertFalse(refused.ok)
        XCTAssertTrue(refused.reason?.contains("refused") ?? false, refused.reason ?? "")

        try listener.reopen()
        XCTAssertEqual(probe.check(), .healthy)
    }

    func testUnresolvableHostFailsWithReason() {
        let check = TCPProbe(host: "no-such-host.invalid", port: 80, timeout: 0.5).check()
        XCTAssertFalse(check.ok)
        XCTAssertTrue(check.reason?.hasPrefix("resolve") ?? false, check.reason ?? "")
    }

    /// The service goes down at a known instant (a one-shot "kill") and comes back at another;
    /// recovery and detection must be measured from the mark to the samples that saw the change.
    /// Only the loop's own timestamps are compared, so scheduling delays cannot fail it.
    func testLoopMeasuresRecoveryFromTheOutageInstants() throws {
        let listener = try TestTCPListener()
        let interval = 0.05
        let loop = ProbeLoop(probes: [TCPProbe(host: "127.0.0.1", port: listener.port, timeout: 0.2)], interval: interval)
        loop.start()
        Thread.sleep(forTimeInterval: 0.4)

        // Phase and mark first, so no sample tagged "pre" can see the outage.
        loop.setPhase("during")
        loop.markOneShot("kill listener")
        listener.close()
        let closedAt = loop.elapsedNanoseconds
        Thread.sleep(forTimeInterval: 0.6)
        let reopeningAt = loop.elapsedNanoseconds
        try listener.reopen()
        let reopenedAt = loop.elapsedNanoseconds
        loop.setPhase("post")
        Thread.sleep(forTimeInterval: 0.5)
        let run = loop.stop()

        let recoveries = RecoveryAnalyzer.measure(run, consecutiveHealthy: 3)
        XCTAssertEqual(recoveries.count, 1)
        let mark = try XCTUnwrap(run.events.first { $0.kind == .oneShot })
        let recoveredAt = try XCTUnwrap(recoveries[0].recoveredAtNanoseconds, recoveries[0].summary)
        XCTAssertEqual(recoveries[0].recoverySeconds, Double(recoveredAt - mark.atNanoseconds) / 1e9)
        // Healthy again no earlier than the listener came back, and no later than the first
        // check that began once it was listening (every check from then on connects).
        XCTAssertGreaterThanOrEqual(recoveredAt, reopeningAt)
        let firstAfterReopen = try XCTUnwrap(run.samples.first { $0.startNanoseconds >= reopenedAt })
        XCTAssertTrue(firstAfterReopen.ok, firstAfterReopen.reason ?? "")
        XCTAssertLessThanOrEqual(recoveredAt, firstAfterReopen.startNanoseconds)
        // Detected from the mark, by a check no later than the first one that began on the closed port.
        let detect = try XCTUnwrap(recoveries[0].timeToDetectSeconds)
        let firstFailure = try XCTUnwrap(run.samples.first { !$0.ok && $0.startNanoseconds >= mark.atNanoseconds })
        XCTAssertEqual(detect, Double(firstFailure.startNanoseconds - mark.atNanoseconds) / 1e9)
        let firstWhileClosed = try XCTUnwrap(run.samples.first { $0.startNanoseconds >= closedAt })
        XCTAssertFalse(firstWhileClosed.ok)
        XCTAssertLessThanOrEqual(firstFailure.startNanoseconds, firstWhileClosed.startNanoseconds)
        let during = PhaseStatistics(phase: "during", samples: run.samples.filter { $0.phase == "during" })
        XCTAssertGreaterThan(during.failures, 5)
        // A check that began just before the mark may still meet the closed socket; no more.
        let pre = PhaseStatistics(phase: "pre", samples: run.samples.filter { $0.phase == "pre" })
        XCTAssertLessThanOrEqual(pre.failures, 1)
        XCTAssertTrue(run.samples.filter { $0.phase == "pre" }.allSatisfy { $0.startNanoseconds <= mark.atNanoseconds })
    }
}
