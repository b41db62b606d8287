import ChaosCore
@testable import ChaosTargets
import ChaosTestSupport
import Foundation
import XCTest

/// One real engine per subclass (started for the class, stopped after it) and a fresh
/// journal per test, for the scenarios of ContainerPartitionScenarios.
class PartitionLimitEngineCase: XCTestCase {
    class var kind: DockerTestEngine.Kind { .docker }
    private static var engines: [String: (DockerTestEngine?, String)] = [:]

    override class func setUp() {
        engines["\(kind)"] = DockerTestEngine.acquire(kind)
    }

    override class func tearDown() {
        engines["\(kind)"]?.0?.release()
        engines["\(kind)"] = nil
    }

    var scenarios: ContainerPartitionScenarios!
    private var stateDir = ""

    override func setUpWithError() throws {
        let (engine, reason) = Self.engines["\(Self.kind)"] ?? (nil, "not started")
        guard let engine else { throw fixtureUnavailable("no \(Self.kind) engine: \(reason)") }
        stateDir = NSTemporaryDirectory() + "chaosctl-state-\(UInt32.random(in: 0...UInt32.max))"
        let lifecycle = FaultLifecycle(journal: FaultJournal(directory: stateDir),
                                       reverters: [ContainerDisconnectReverter(), ContainerLimitReverter()])
        scenarios = ContainerPartitionScenarios(engine: engine, client: DockerClient(host: engine.host), lifecycle: lifecycle,
                                                label: "chaosctl.case=\(Self.kind)\(UInt32.random(in: 0...UInt32.max))")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: stateDir) }
}

/// `container disconnect` and `container limit` against a real dockerd (scripts/docker-engine.sh).
final class DockerPartitionLimitTests: PartitionLimitEngineCase {
    func testDisconnectHoldsThenReconnectsWithAliasesAndAddresses() throws { try scenarios.disconnectAndReconnect() }
    func testDisconnectRefusesAContainerNotOnTheNetworkAndAnUnknownNetwork() throws { try scenarios.disconnectRefusals() }
    func testRevertLeavesSomeoneElsesReconnectAlone() throws { try scenarios.reconnectBySomeoneElseIsLeftAlone() }
    func testDryRunChangesNothing() throws { try scenarios.dryRunChangesNothing() }
    func testLimitTakesEffectInTheCgroupAndIsRestored() throws { try scenarios.limitAndRestore() }
    func testLimitRevertLeavesSomeoneElsesChangeAlone() throws { try scenarios.limitChangedBySomeoneElseIsLeftAlone() }
    func testMemoryLimitBelowUsageIsRefused() throws { try scenarios.memoryBelowUsageIsRefused() }

    /// On a network created without a subnet Docker refuses a requested address; the revert
    /// reconnects without it (the aliases kept) and says so.
    func testReconnectOnANetworkWithoutSubnetFallsBackToAPickedAddress() throws {
        let (net, _) = try scenarios.network(subnet: false)
        defer { scenarios.cleanup(networks: [net]) }
        let c = try scenarios.container("db", on: .init(network: net, aliases: ["db"]))
        let lifecycle = scenarios.lifecycle
        let record = try lifecycle.apply(ContainerDisconnectFault(engine: scenarios.client, container: c, network: net, duration: nil), held: true)
        let result = try lifecycle.revert(record)
        let now = try XCTUnwrap(scenarios.client.inspect(c.id).networks[net])
        XCTAssertEqual(now.ownAliases(containerID: c.id), ["db"])
        XCTAssertEqual(result.leftAlone.count, 1)
        XCTAssertTrue(result.leftAlone.first?.contains("no configured subnet") == true, "\(result)")
    }
}

/// The same against Podman 4.3's Docker-compatible service. Differences (recorded from the
/// real service): `IPAMConfig` stays null even for a fixed address (the current `IPAddress`
/// is journaled instead), a container not on a network answers 404 "network not found", the
/// short-ID alias is listed twice if asked for again, and limits go through the libpod update
/// route (the compat API has none), which its inspect does not show: the cgroup files do.
final class PodmanPartitionLimitTests: PartitionLimitEngineCase {
    override class var kind: DockerTestEngine.Kind { .podman }

    func testDisconnectHoldsThenReconnectsWithAliasesAndAddresses() throws { try scenarios.disconnectAndReconnect() }
    func testDisconnectRefusesAContainerNotOnTheNetworkAndAnUnknownNetwork() throws { try scenarios.disconnectRefusals() }
    func testRevertLeavesSomeoneElsesReconnectAlone() throws { try scenarios.reconnectBySomeoneElseIsLeftAlone() }
    func testDryRunChangesNothing() throws { try scenarios.dryRunChangesNothing() }
    func testLimitTakesEffectInTheCgroupAndIsRestored() throws { try scenarios.limitAndRestore() }
    func testLimitRevertLeavesSomeoneElsesChangeAlone() throws { try scenarios.limitChangedBySomeoneElseIsLeftAlone() }
    func testMemoryLimitBelowUsageIsRefused() throws { try scenarios.memoryBelowUsageIsRefused() }
}
