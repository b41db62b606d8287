import ChaosProxy
import Foundation
import Glibc
import XCTest

/// A toxic's own `seed` (chaosctl's extension): which of a proxy's connections it applies to
/// follows from that seed alone, whatever the engine's seed, over real loopback sockets.
final class ToxicSeedTests: ProxyTestCase {
    /// For 24 connections in turn through a fresh engine seeded `engineSeed`: whether `toxic`
    /// broke the echo of "ping" (refused, or cut after 2 bytes).
    private func pattern(engineSeed: UInt64, _ toxic: ToxicSpec, server: TestServer) throws -> [Bool] {
        let engine = EpollProxyEngine(loops: 2, seed: engineSeed)
        defer { engine.shutdown() }
        let address = try engine.start(proxy: "s", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(server.port)",
                                       toxics: [toxic])
        return try (0..<24).map { _ in
            let fd = try TestSockets.connect(port: TestSockets.port(of: address))
            defer { close(fd) }
            return echoRoundTripMs(fd) == nil
        }
    }

    private func check(_ kind: ToxicKind) throws {
        let server = track(TestServer.echo())
        func toxic(seed: UInt64) -> ToxicSpec {
            ToxicSpec(name: "half", stream: .downstream, toxicity: 0.5, kind: kind, seed: seed)
        }
        let first = try pattern(engineSeed: 7, toxic(seed: 99), server: server)
        XCTAssertTrue(first.contains(true) && first.contains(false), "toxicity 0.5 applies to some: \(first)")
        XCTAssertEqual(try pattern(engineSeed: 8, toxic(seed: 99), server: server), first,
                       "the toxic's seed decides, not the engine's")
        XCTAssertNotEqual(try pattern(engineSeed: 7, toxic(seed: 100), server: server), first, "another toxic seed")
    }

    /// Drawn when the connection is accepted (EpollProxyEngine.dispatch).
    func testSeededRefuseConnectionsRepeats() throws {
        try check(.refuseConnections)
    }

    /// Drawn when the connection's toxic chains are built (ProxyConnection.decide).
    func testSeededLimitDataRepeats() throws {
        try check(.limitData(bytes: 2))
    }
}
