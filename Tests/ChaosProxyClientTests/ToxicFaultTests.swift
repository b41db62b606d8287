import ChaosCore
import ChaosProxyClient
import ChaosTestSupport
import Foundation
import XCTest

/// A toxic fault from the options model, applied through the real server and reverted from
/// its journal record alone, as `chaosctl recover` would after a crash.
final class ToxicFaultTests: XCTestCase {
    func testAppliedToxicIsRemovedByItsRecord() throws {
        let server = try LiveToxiproxy()
        _ = try server.client.createProxy(name: "db", listen: "127.0.0.1:0", upstream: "127.0.0.1:17000")
        let fault = ToxicFault(endpoint: ToxiproxyEndpoint(api: server.api, token: nil),
                               options: ToxicOptions(proxy: "db", type: "latency", attributes: ["latency": 250]))
        try fault.preflight()
        let record = FaultRecord(kind: fault.kind, target: fault.target, summary: fault.summary, revertData: try fault.revertData())
        let added = try fault.add()
        XCTAssertEqual(added.name, "latency_downstream")
        XCTAssertEqual(added.attributes["latency"], .number("250"))
        XCTAssertThrowsError(try fault.preflight(), "the name is now taken") {
            XCTAssertEqual(($0 as? ToxiproxyClientError)?.status, 409)
        }

        try ToxicReverter().revert(record)
        XCTAssertEqual(try server.client.proxy("db").toxics, [])
        try ToxicReverter().revert(record)  // already gone: nothing to do, no error
    }

    func testRevertLeavesAToxicRedefinedSinceAlone() throws {
        let server = try LiveToxiproxy()
        _ = try server.client.createProxy(name: "db", listen: "127.0.0.1:0", upstream: "127.0.0.1:17000")
        let fault = ToxicFault(endpoint: ToxiproxyEndpoint(api: server.api, token: nil),
                               options: ToxicOptions(proxy: "db", name: "slow", type: "latency", attributes: ["latency": 250]))
        let record = FaultRecord(kind: fault.kind, target: fault.target, summary: fault.summary, revertData: try fault.revertData())
        try fault.apply()
        _ = try server.client.updateToxic(proxy: "db", name: "slow", attributes: ["latency": 900])

        let state = try TempDir()
        let result = try ToxicReverter().revert(record, journal: FaultJournal(directory: state.path))
        XCTAssertEqual(result.leftAlone.count, 1, "\(result.leftAlone)")
        XCTAssertEqual(try server.client.proxy("db").toxics.map(\.name), ["slow"])
    }
}
