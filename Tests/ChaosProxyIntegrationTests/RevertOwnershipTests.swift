import ChaosCore
import ChaosProxyAPI
import ChaosProxyClient
import ChaosTestSupport
import Foundation
import XCTest

/// Against a real server: a toxic or proxy-down revert undoes only what its own record did
/// (issue #11 item 5). Someone else's redefinition under the same name is left in place.
final class RevertOwnershipTests: IntegrationTestCase {
    private var temp: TempDir!
    private var chaosctl: Chaosctl!
    private var lifecycle: FaultLifecycle!

    override func setUpWithError() throws {
        try super.setUpWithError()
        temp = try TempDir()
        chaosctl = Chaosctl(stateDir: temp.path)
        lifecycle = FaultLifecycle(journal: FaultJournal(directory: temp.path),
                                   reverters: [ToxicReverter(), ProxyDownReverter(), ProxyReverter()])
    }

    override func tearDown() {
        temp = nil
        super.tearDown()
    }

    func testRecoverLeavesAToxicSomeoneRedefinedUnderTheSameName() throws {
        _ = try stack.createProxy("web")
        let add = try chaosctl.run(["toxic", "add", "-n", "slow", "-t", "latency", "-a", "latency=300", "web", "--host", stack.api])
        XCTAssertEqual(add.status, 0, add.stderr)
        // A teammate replaces it: same name, their own latency.
        try stack.client.removeToxic(proxy: "web", name: "slow")
        _ = try stack.client.addToxic(proxy: "web", name: "slow", type: "latency", attributes: ["latency": 500])

        let recover = try chaosctl.run(["recover", "--all"])
        XCTAssertEqual(recover.status, 0, recover.stderr)
        XCTAssertTrue(recover.stderr.contains("left as it is"), recover.stderr)
        let toxics = try stack.client.proxy("web").toxics
        XCTAssertEqual(toxics.map(\.name), ["slow"], "the teammate's toxic must stay")
        XCTAssertEqual(toxics.first?.attributes["latency"], .number("500"))
        XCTAssertEqual(try chaosctl.faults().count, 0)
    }

    func testRecoverStillRemovesItsOwnToxic() throws {
        _ = try stack.createProxy("own")
        XCTAssertEqual(try chaosctl.run(["toxic", "add", "-n", "slow", "-t", "latency", "-a", "latency=300", "own",
                                         "--host", stack.api]).status, 0)
        let recover = try chaosctl.run(["recover", "--all"])
        XCTAssertEqual(recover.status, 0, recover.stderr)
        XCTAssertEqual(try stack.client.proxy("own").toxics.count, 0)
    }

    func testRecoverLeavesAProxySomeoneRecreatedUnderTheSameName() throws {
        let create = try chaosctl.run(["proxy", "create", "-l", "127.0.0.1:0", "-u", stack.upstream.address, "api",
                                       "--host", stack.api])
        XCTAssertEqual(create.status, 0, create.stderr)
        try stack.client.deleteProxy("api")
        _ = try stack.client.createProxy(name: "api", listen: "127.0.0.1:0", upstream: "127.0.0.1:9")
        let recover = try chaosctl.run(["recover", "--all"])
        XCTAssertEqual(recover.status, 0, recover.stderr)
        XCTAssertTrue(recover.stderr.contains("recreated since"), recover.stderr)
        XCTAssertEqual(try stack.client.proxy("api").upstream, "127.0.0.1:9", "the teammate's proxy must stay")
    }

    func testProxyDownRevertLeavesAProxyHeldDownByALaterFaultAndARecreatedOne() throws {
        _ = try stack.createProxy("db")
        let endpoint = ToxiproxyEndpoint(api: stack.api, token: nil)
        let first = try lifecycle.apply(ProxyDownFault(endpoint: endpoint, name: "db"), held: false)
        let second = try lifecycle.apply(ProxyDownFault(endpoint: endpoint, name: "db"), held: false)
        // The first ends while the second still holds the proxy down: it stays down…
        let result = try lifecycle.revert(first)
        XCTAssertFalse(try stack.client.proxy("db").enabled, "the second fault's hold was ended by the first")
        XCTAssertTrue(result.leftAlone.first?.contains(second.id) ?? false, "\(result.leftAlone)")
        // …until the second ends: then it is enabled, as before both.
        try lifecycle.revert(second)
        XCTAssertTrue(try stack.client.proxy("db").enabled)

        // A proxy deleted and recreated elsewhere (disabled) is not this fault's to enable.
        let third = try lifecycle.apply(ProxyDownFault(endpoint: endpoint, name: "db"), held: false)
        try stack.client.deleteProxy("db")
        _ = try stack.client.createProxy(name: "db", listen: "127.0.0.1:0", upstream: "127.0.0.1:9", enabled: false)
        let left = try lifecycle.revert(third)
        XCTAssertFalse(try stack.client.proxy("db").enabled)
        XCTAssertTrue(left.leftAlone.first?.contains("redefined") ?? false, "\(left.leftAlone)")
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }
}
