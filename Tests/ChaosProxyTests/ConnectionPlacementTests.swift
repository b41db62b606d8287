@testable import ChaosProxy
import Glibc
import XCTest

/// Where new connections go: the accepting loop keeps them unless another loop serves fewer.
final class ConnectionPlacementTests: ProxyTestCase {
    func testABurstOfConnectionsSpreadsEvenlyOverTheLoops() throws {
        let server = track(TestServer.echo())
        let port = try startProxy(to: server)
        let clients = try (0..<20).map { _ in try TestSockets.connect(port: port) }
        for fd in clients { XCTAssertNotNil(echoRoundTripMs(fd)) }  // every one is served
        let loads = engine.loops.map { $0.assignedConnections.load(ordering: .relaxed) }
        XCTAssertEqual(loads.reduce(0, +), 20)
        XCTAssertLessThanOrEqual(loads.max()! - loads.min()!, 1, "loads \(loads)")
        for client in clients { close(client) }
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) {
            self.engine.loops.allSatisfy { $0.assignedConnections.load(ordering: .relaxed) == 0 }
        }, "closed connections are no longer counted")
    }
}
