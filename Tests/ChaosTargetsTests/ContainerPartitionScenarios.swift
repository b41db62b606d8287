import ChaosCore
@testable import ChaosTargets
import ChaosTestSupport
import Foundation
import XCTest

/// Disconnect and limit faults against a real engine (dockerd or Podman's compatible
/// service), shared by DockerPartitionLimitTests and PodmanPartitionLimitTests. Every check
/// reads the engine (inspect) or the kernel (the container's cgroup files) afterwards.
struct ContainerPartitionScenarios {
    let engine: DockerTestEngine
    let client: DockerClient
    let lifecycle: FaultLifecycle
    /// `key=value` carried by every container and network made here (cleanup).
    let label: String

    var tag: String { String(label.split(separator: "=").last!.suffix(8)) }
    var labels: [String: String] {
        let parts = label.split(separator: "=", maxSplits: 1)
        return [String(parts[0]): String(parts[1])]
    }

    /// A bridge network with a subnet unlikely to meet another test's.
    func network(subnet: Bool = true) throws -> (name: String, prefix: String) {
        let prefix = "10.\(100 + Int.random(in: 0..<100)).\(Int.random(in: 0..<256))"
        let name = "net-\(tag)-\(Int.random(in: 0..<10_000))"
        try engine.createNetwork(name, subnet: subnet ? prefix + ".0/24" : nil, label: label)
        return (name, prefix)
    }

    func container(_ suffix: String, on attachment: DockerTestEngine.Attachment? = nil, command: [String]? = nil) throws -> ContainerSummary {
        let id = try engine.startContainer(name: "c\(tag)-\(suffix)", labels: labels, on: attachment, command: command)
        return try XCTUnwrap(client.list(labels: [label], statuses: [], all: true).first { $0.id == id })
    }

    func cleanup(networks: [String]) {
        engine.removeContainers(label: label)
        for n in networks { engine.removeNetwork(n) }
    }

    // MARK: disconnect

    /// Held for 1.5 s: off the network meanwhile, back afterwards with the same aliases and
    /// address (a fixed one, and one the engine had picked), nothing left journaled.
    func disconnectAndReconnect() throws {
        let (net, prefix) = try network()
        defer { cleanup(networks: [net]) }
        let fixed = try container("db", on: .init(network: net, aliases: ["db", "redis"], ipv4: prefix + ".10"))
        let picked = try container("web", on: .init(network: net, aliases: ["web"]))
        let before = try [fixed, picked].map { try XCTUnwrap(client.inspect($0.id).networks[net]) }
        XCTAssertEqual(before[0].ipAddress, prefix + ".10")

        let seenOff = ResultBox<[Bool]>()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.7) { [client] in
            seenOff.set([fixed, picked].map { (try? client.inspect($0.id).networks[net]) == nil })
        }
        let result = ContainerChaos(engine: client, lifecycle: lifecycle)
            .run(.disconnect(network: net, duration: 1.5), on: [fixed, picked], dryRun: false)
        XCTAssertTrue(result.outcomes.allSatisfy(\.ok), "\(result.outcomes.map { String(describing: $0.error) })")
        XCTAssertEqual(seenOff.get(), [true, true], "both off the network while held")
        for (c, was) in zip([fixed, picked], before) {
            let now = try XCTUnwrap(client.inspect(c.id).networks[net], "\(c.name) reconnected")
            XCTAssertEqual(Set(now.ownAliases(containerID: c.id)), Set(was.ownAliases(containerID: c.id)), c.name)
            XCTAssertEqual(now.aliases?.filter { $0 == c.shortID }.count, 1, "the short ID alias once: \(now.aliases ?? [])")
            XCTAssertEqual(now.ipAddress, was.ipAddress, c.name)
        }
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    /// A container not on the network, an unknown network: refused before anything is
    /// journaled or changed.
    func disconnectRefusals() throws {
        let (net, _) = try network()
        let (other, _) = try network()
        defer { cleanup(networks: [net, other]) }
        let c = try container("db", on: .init(network: net, aliases: ["db"]))
        for (network, reason) in [(other, ContainerEngineError.Reason.conflict), ("no-such-net-\(tag)", .notFound)] {
            let fault = ContainerDisconnectFault(engine: client, container: c, network: network, duration: 5)
            XCTAssertThrowsError(try lifecycle.apply(fault, held: true)) { error in
                XCTAssertEqual((error as? ContainerEngineError)?.reason, reason, "\(error)")
                XCTAssertTrue("\(error)".contains(network), "names the network: \(error)")
            }
        }
        XCTAssertNotNil(try client.inspect(c.id).networks[net])
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    /// Someone reconnects the container (other aliases) while the fault holds: the revert
    /// leaves their connection alone and says so.
    func reconnectBySomeoneElseIsLeftAlone() throws {
        let (net, _) = try network()
        defer { cleanup(networks: [net]) }
        let c = try container("db", on: .init(network: net, aliases: ["db"]))
        let record = try lifecycle.apply(ContainerDisconnectFault(engine: client, container: c, network: net, duration: nil), held: true)
        XCTAssertNil(try client.inspect(c.id).networks[net])
        try client.connect(c.id, to: net, endpoint: EndpointSettings(aliases: ["theirs"]))
        let result = try lifecycle.revert(record)
        XCTAssertEqual(result.leftAlone.count, 1, "\(result)")
        XCTAssertEqual(try client.inspect(c.id).networks[net]?.ownAliases(containerID: c.id), ["theirs"])
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    /// A dry run plans both kinds and changes nothing on the engine.
    func dryRunChangesNothing() throws {
        let (net, _) = try network()
        defer { cleanup(networks: [net]) }
        let c = try container("db", on: .init(network: net, aliases: ["db"]))
        let before = try client.inspect(c.id)
        let chaos = ContainerChaos(engine: client, lifecycle: lifecycle)
        let disconnect = chaos.run(.disconnect(network: net, duration: 5), on: [c], dryRun: true)
        XCTAssertTrue(disconnect.outcomes[0].ok, "\(String(describing: disconnect.outcomes[0].error))")
        XCTAssertTrue(disconnect.outcomes[0].detail.contains("aliases db"), disconnect.outcomes[0].detail)
        let limit = chaos.run(.limit(ContainerLimitChange(cpus: 0.5, memory: 64 << 20), duration: 5), on: [c], dryRun: true)
        XCTAssertTrue(limit.outcomes[0].ok, "\(String(describing: limit.outcomes[0].error))")
        XCTAssertTrue(limit.outcomes[0].detail.contains("Memory \(64 << 20)"), limit.outcomes[0].detail)
        let after = try client.inspect(c.id)
        XCTAssertEqual(after.networks, before.networks)
        XCTAssertEqual(after.resources, before.resources)
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
        XCTAssertTrue(lifecycle.journal.events().isEmpty)
    }

    // MARK: limits

    /// The container's cgroup v1 file for `controller` (from its main process), e.g.
    /// memory.limit_in_bytes; nil where the host's cgroups are laid out otherwise (v2).
    func cgroupValue(_ c: ContainerSummary, _ controller: String, _ file: String) throws -> String? {
        let pid = try client.inspect(c.id).state.pid
        guard let table = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8) else { return nil }
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[1].split(separator: ",").contains(Substring(controller)) else { continue }
            let path = "/sys/fs/cgroup/\(parts[1])\(parts[2])/\(file)"
            return (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// Limits take effect in the kernel while held and are gone after the revert.
    func limitAndRestore() throws {
        let c = try container("web")
        defer { cleanup(networks: []) }
        let before = try client.limits(c.id).resources
        let fault = ContainerLimitFault(engine: client, container: c,
                                        change: ContainerLimitChange(cpus: 0.5, cpuShares: 256, memory: 64 << 20), duration: nil)
        let record = try lifecycle.apply(fault, held: true)
        let held = try client.limits(c.id).resources
        XCTAssertEqual(held.memory, 64 << 20)
        XCTAssertEqual(held.cpuQuota, 50_000)
        XCTAssertEqual(held.cpuShares, 256)
        // This host's cgroups are v1 (the engines run with cgroupfs): the kernel's own files.
        XCTAssertEqual(try XCTUnwrap(try cgroupValue(c, "memory", "memory.limit_in_bytes")), String(64 << 20))
        XCTAssertEqual(try XCTUnwrap(try cgroupValue(c, "cpu", "cpu.cfs_quota_us")), "50000")
        XCTAssertEqual(record.revertData["previous.Memory"], String(before.memory))

        let result = try lifecycle.revert(record)
        XCTAssertEqual(result.leftAlone, [])
        let after = try client.limits(c.id).resources
        for field in [ResourceField.memory, .cpuQuota, .cpuShares] {
            XCTAssertTrue(field.same(field.value(in: after), as: field.value(in: before)),
                          "\(field): \(field.value(in: after)) after, \(field.value(in: before)) before")
        }
        XCTAssertEqual(try XCTUnwrap(try cgroupValue(c, "memory", "memory.limit_in_bytes")), String(ResourceField.unlimitedMemory))
        XCTAssertEqual(try XCTUnwrap(try cgroupValue(c, "cpu", "cpu.cfs_quota_us")), "-1")
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }

    /// Someone changes the memory limit while the fault holds: that change stays; the CPU
    /// quota chaosctl set is restored.
    func limitChangedBySomeoneElseIsLeftAlone() throws {
        let c = try container("web")
        defer { cleanup(networks: []) }
        let fault = ContainerLimitFault(engine: client, container: c, change: ContainerLimitChange(cpus: 0.5, memory: 64 << 20), duration: nil)
        let record = try lifecycle.apply(fault, held: true)
        try engine.update(c.id, ["Memory": 128 << 20, "MemorySwap": -1])
        let result = try lifecycle.revert(record)
        XCTAssertEqual(result.leftAlone.count, 1, "\(result)")
        XCTAssertTrue(result.leftAlone.first?.contains("Memory") == true, "\(result)")
        let after = try client.limits(c.id).resources
        XCTAssertEqual(after.memory, 128 << 20, "their limit stays")
        XCTAssertTrue(ResourceField.cpuQuota.same(after.cpuQuota, as: 0), "quota restored: \(after.cpuQuota)")
    }

    /// A memory limit below what the container uses now is refused before anything changes.
    func memoryBelowUsageIsRefused() throws {
        // 24 MiB in the container's /dev/shm (tmpfs pages are charged to its cgroup).
        let c = try container("fat", command: ["/bin/sh", "-c",
            "busybox dd if=/dev/zero of=/dev/shm/fill bs=1048576 count=24 2>/dev/null; trap 'exit 0' TERM; while true; do sleep 3600 & wait $!; done"])
        defer { cleanup(networks: []) }
        let deadline = Date().addingTimeInterval(10)
        while try client.memoryUsage(c.id) < 20 << 20 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let before = try client.limits(c.id).resources
        let fault = ContainerLimitFault(engine: client, container: c, change: ContainerLimitChange(memory: 8 << 20), duration: 5)
        XCTAssertThrowsError(try lifecycle.apply(fault, held: true)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage, "\(error)")
            XCTAssertTrue("\(error)".contains("below what container") && "\(error)".contains(c.name), "\(error)")
        }
        XCTAssertEqual(try client.limits(c.id).resources, before)
        XCTAssertTrue(lifecycle.journal.records().records.isEmpty)
    }
}
