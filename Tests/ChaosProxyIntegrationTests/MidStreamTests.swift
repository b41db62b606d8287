import ChaosProxyAPI
import Foundation
import Glibc
import XCTest

/// Toxics added and removed through the API while connections carry data.
final class MidStreamTests: IntegrationTestCase {
    func testToxicsAddedAndRemovedMidStreamKeepBytesExact() throws {
        let port = try stack.createProxy("mid")
        let client = stack.client
        var failures: [String] = []
        var step = 0
        let plan: [(at: Int, action: () throws -> Void)] = [
            (2 << 20, { _ = try client.addToxic(proxy: "mid", name: "lat", type: "latency", stream: "downstream", attributes: ["latency": 5]) }),
            (4 << 20, { _ = try client.addToxic(proxy: "mid", name: "slice", type: "slicer", stream: "upstream", attributes: ["average_size": 700, "size_variation": 300]) }),
            (6 << 20, { _ = try client.addToxic(proxy: "mid", name: "bw", type: "bandwidth", stream: "downstream", attributes: ["rate": 50_000]) }),
            (8 << 20, { try client.removeToxic(proxy: "mid", name: "lat") }),
            (10 << 20, { try client.removeToxic(proxy: "mid", name: "slice") }),
            (12 << 20, { try client.removeToxic(proxy: "mid", name: "bw") }),
        ]
        let result = try stack.transfer(port: port, payload: Payload.make(16 << 20, seed: 3), chunk: 32 * 1024) { echoed in
            while step < plan.count, echoed >= plan[step].at {
                do { try plan[step].action() } catch { failures.append("step \(step): \(error)") }
                step += 1
            }
        }
        XCTAssertEqual(failures, [])
        XCTAssertEqual(step, plan.count, "every change happened mid-stream")
        assertByteExact(result, "toxics changed mid-stream")
        XCTAssertEqual(try client.proxy("mid").toxics.count, 0)
    }

    func testLatencyAddedToALiveConnectionDelaysItAndRemovalRestoresIt() throws {
        let port = try stack.createProxy("live")
        let fd = try Sockets.connect(port: port)
        defer { close(fd) }
        let before = try XCTUnwrap(ProxyStack.ping(fd))
        // Pinged right after the API answered: the change is live by then. Upstream, so the
        // ping's own bytes meet it; 1 s, so "not delayed" can be half of it on a loaded machine.
        _ = try stack.client.addToxic(proxy: "live", name: "lat", type: "latency", stream: "upstream", attributes: ["latency": 1_000])
        let during = try XCTUnwrap(ProxyStack.ping(fd))
        try stack.client.removeToxic(proxy: "live", name: "lat")
        let after = try XCTUnwrap(ProxyStack.ping(fd))
        XCTAssertLessThan(before, 0.5)
        XCTAssertGreaterThanOrEqual(during, 0.995, "the existing connection got the new toxic")
        XCTAssertLessThan(after, 0.5, "removal took effect on the same connection")
    }
}
