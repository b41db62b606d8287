import ChaosProxy
import Foundation
import Glibc
import XCTest

/// A toxic change is live on every existing connection when `setToxics` returns, as in
/// Toxiproxy (whose API answers only after each link swapped its chain). No sleep between
/// the change and the bytes sent: a change still on its way to a loop lets them through
/// the old chain.
final class LiveToxicChangeTests: ProxyTestCase {
    /// A timeout toxic with no delay swallows data: added, the next bytes never come back;
    /// removed, the next bytes come back (and only they).
    func testTimeoutAddedOrRemovedActsOnTheVeryNextBytes() throws {
        continueAfterFailure = false  // a failed round leaves stray bytes that would fail the rest
        let fd = try connectThroughEcho()
        defer { close(fd) }
        XCTAssertNotNil(echoRoundTripMs(fd))
        let hang = Self.toxic("hang", .upstream, .timeout(timeoutMs: 0))
        for round in 0..<30 {
            engine.setToxics(proxy: "p", toxics: [hang])
            XCTAssertTrue(TestSockets.writeAll(fd, Array("lost\(round % 10)".utf8)))
            // Echoed bytes come back within microseconds; 100 ms only bounds how long we look.
            XCTAssertFalse(TestSockets.readable(fd, withinMs: 100), "round \(round): bytes passed the old chain")
            engine.setToxics(proxy: "p", toxics: [])
            let back = Array("back\(round % 10)".utf8)
            XCTAssertTrue(TestSockets.writeAll(fd, back))
            // The old chain would swallow them: the read then ends on its 5 s timeout.
            XCTAssertEqual(String(decoding: TestSockets.readExactly(fd, back.count), as: UTF8.self),
                           String(decoding: back, as: UTF8.self), "round \(round)")
        }
    }

    /// Latency added: the very next round trip is delayed by at least the latency. Upstream,
    /// so it is the bytes sent right after the change that must wait.
    func testLatencyAddedDelaysTheVeryNextRoundTrip() throws {
        let fd = try connectThroughEcho()
        defer { close(fd) }
        XCTAssertNotNil(echoRoundTripMs(fd))
        for round in 0..<8 {
            engine.setToxics(proxy: "p", toxics: [Self.toxic("lat", .upstream, .latency(latencyMs: 200, jitterMs: 0))])
            let delayed = try XCTUnwrap(echoRoundTripMs(fd), "round \(round)")
            XCTAssertGreaterThanOrEqual(delayed, 200, "round \(round): the new latency was not applied")
            engine.setToxics(proxy: "p", toxics: [])
            XCTAssertNotNil(echoRoundTripMs(fd), "round \(round)")
        }
    }
}
