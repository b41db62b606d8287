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
    /// the loop's recovery time must match the true outage within one probe interval.
    func testLoopMeasuresRecoveryWithinOneInterval() throws {
        let listener = try TestTCPListener()
        let interval = 0.05
        let loop = ProbeLoop(probes: [TCPProbe(host: "127.0.0.1", port: listener.port, timeout: 0.2)], interval: interval)
        loop.start()
        Thread.sleep(forTimeInterval: 0.4)

        // Phase and mark first, so no sample tagged "pre" can see the outage.
        loop.setPhase("during")
        loop.markOneShot("kill listener")
        listener.close()
        Thread.sleep(forTimeInterval: 0.6)
        try listener.reopen()
        let reopenedAt = loop.elapsedNanoseconds
        loop.setPhase("post")
        Thread.sleep(forTimeInterval: 0.5)
        let run = loop.stop()

        let recoveries = RecoveryAnalyzer.measure(run, consecutiveHealthy: 3)
        XCTAssertEqual(recoveries.count, 1)
        let mark = try XCTUnwrap(run.events.first { $0.kind == .oneShot })
        let trueRecovery = Double(reopenedAt - mark.atNanoseconds) / 1e9
        let measured = try XCTUnwrap(recoveries[0].recoverySeconds, recoveries[0].summary)
        // The first healthy sample starts after the reopen and at most one interval later;
        // 20 ms covers thread wake-up on a loaded shared machine.
        XCTAssertGreaterThanOrEqual(measured, trueRecovery - 0.005)
        XCTAssertLessThanOrEqual(measured, trueRecovery + interval + 0.02)
        // The outage was seen: failures during it, detected promptly.
        let detect = try XCTUnwrap(recoveries[0].timeToDetectSeconds)
        XCTAssertLessThanOrEqual(detect, interval + 0.02)
        let during = PhaseStatistics(phase: "during", samples: run.samples.filter { $0.phase == "during" })
        XCTAssertGreaterThan(during.failures, 5)
        // A check that began just before the mark may still meet the closed socket; no more.
        let pre = PhaseStatistics(phase: "pre", samples: run.samples.filter { $0.phase == "pre" })
        XCTAssertLessThanOrEqual(pre.failures, 1)
        XCTAssertTrue(run.samples.filter { $0.phase == "pre" }.allSatisfy { $0.startNanoseconds <= mark.atNanoseconds })
    }
}
