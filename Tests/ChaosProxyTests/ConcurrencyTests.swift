import ChaosProxy
import Foundation
import Glibc
import XCTest

/// Many connections on both loops while the API thread keeps changing the toxics.
final class ConcurrencyTests: ProxyTestCase {
    /// Where each client is, so a stuck one can be told from a slow one.
    // @unchecked Sendable: `phases` is guarded by `lock`.
    private final class Phases: @unchecked Sendable {
        private let lock = NSLock()
        private var phases: [Int: String] = [:]
        func set(_ index: Int, _ phase: String) { lock.withLock { phases[index] = phase } }
        var all: [Int: String] { lock.withLock { phases } }
    }

    func testConcurrentConnectionsStayExactWhileToxicsChange() throws {
        let server = track(TestServer.echo())
        let port = try startProxy(to: server)
        let payloadSize = 128 * 1024
        let phases = Phases()
        let clients = (0..<32).map { index in
            Background { () -> String in
                let payload = Payload.bytes(count: payloadSize, seed: UInt64(index + 100))
                phases.set(index, "connecting")
                guard let fd = try? TestSockets.connect(port: port) else { return "connect failed" }
                defer { close(fd) }
                phases.set(index, "transferring")
                let writer = Background { TestSockets.writeAll(fd, payload) }
                var sum = Checksum()
                let (count, end) = TestSockets.readAll(fd, limit: payload.count) { sum.add($0) }
                phases.set(index, "read \(count) bytes (\(end)), waiting for the writer")
                let wrote = writer.wait()
                return sum == Checksum.of(payload) && wrote == true ? "ok" : "\(count) bytes, \(end), wrote \(String(describing: wrote))"
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
        // A hang detector, not a speed check: under ThreadSanitizer on a 2-CPU host the 32
        // transfers took 30-40 s in most runs and over 120 s in one (every byte had arrived),
        // so the bound is far above both (scripts/test.sh runs this suite instrumented).
        let results = clients.map { $0.wait(seconds: 400) }
        let failed = results.enumerated().filter { $0.element != "ok" }
        XCTAssertTrue(failed.isEmpty, "\(failed.map { "client \($0.offset): \($0.element ?? "still \(phases.all[$0.offset] ?? "?")")" }); "
                      + "proxy sees: \(engine.connections(proxy: "p").map { "#\($0.id) up \($0.bytesUpstream) down \($0.bytesDownstream)" })")
        XCTAssertTrue(TestSockets.waitUntil(seconds: 5) { self.engine.counters(proxy: "p").activeConnections == 0 })
        XCTAssertEqual(engine.counters(proxy: "p").acceptedConnections, UInt64(clients.count))
    }
}
