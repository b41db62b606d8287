import ChaosProxy
import Foundation
import Glibc
import XCTest

/// Many connections on both loops while the API thread keeps changing the toxics.
final class ConcurrencyTests: ProxyTestCase {
    func testConcurrentConnectionsStayExactWhileToxicsChange() throws {
        let server = track(TestServer.echo())
        let port = try startProxy(to: server)
        let payloadSize = 128 * 1024
        let clients = (0..<32).map { index in
            Background { () -> Bool in
                guard let fd = try? TestSockets.connect(port: port) else { return false }
                defer { close(fd) }
                let payload = Payload.bytes(count: payloadSize, seed: UInt64(index + 100))
                let writer = Background { TestSockets.writeAll(fd, payload) }
                var sum = Checksum()
                TestSockets.readAll(fd, limit: payload.count) { sum.add($0) }
                return writer.wait() == true && sum == Checksum.of(payload)
            }
        }
        let toxicSets: [[ToxicSpec]] = [
            [],
            [Self.toxic("l", .downstream, .latency(latencyMs: 1, jitterMs: 1))],
            [Self.toxic("s", .upstream, .slicer(averageSize: 512, sizeVariation: 256, delayUs: 0))],
            [Self.toxic("b", .downstream, .bandwidth(rateKBps: 100_000)),
             Self.toxic("l", .upstream, .latency(latencyMs: 2, jitterMs: 0))],
        ]
        for round in 0..<40 {
            engine.setToxics(proxy: "p", toxics: toxicSets[round % toxicSets.count])
            usleep(10_000)
        }
        engine.setToxics(proxy: "p", toxics: [])
        let results = clients.map { $0.wait(seconds: 30) }
        XCTAssertEqual(results.filter { $0 == true }.count, clients.count, "\(results)")
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) { self.engine.counters(proxy: "p").activeConnections == 0 })
        XCTAssertEqual(engine.counters(proxy: "p").acceptedConnections, UInt64(clients.count))
    }
}
