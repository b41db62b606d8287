@testable import ChaosProxy
import Foundation
import Glibc
import XCTest

/// `stop` with a loop thread stalled for longer than it used to wait (1 s).
final class StalledLoopStopTests: ProxyTestCase {
    /// stop returns only once the listener is closed, so a connect right after it is refused.
    func testStopWaitsForAStalledLoopToCloseTheListener() throws {
        let server = track(TestServer.echo())
        let port = try startProxy(to: server, toxics: [Self.toxic("lat", .upstream, .latency(latencyMs: 500, jitterMs: 0))])
        let fd = try TestSockets.connect(port: port)
        defer { close(fd) }
        XCTAssertNotNil(echoRoundTripMs(fd), "warm-up through the latency toxic")
        // A loop stalls before its next wait for a toxic deadline: the byte sent makes one.
        for loop in engine.loops { loop.stallOnceForTesting.store(1_500_000_000, ordering: .relaxed) }
        defer { for loop in engine.loops { loop.stallOnceForTesting.store(0, ordering: .relaxed) } }
        XCTAssertTrue(TestSockets.writeAll(fd, [1]))
        usleep(200_000)  // lets the loop read it and enter its stall
        engine.stop(proxy: "p")
        XCTAssertThrowsError(try TestSockets.connect(port: port), "stop returned with the listener still open")
    }
}
