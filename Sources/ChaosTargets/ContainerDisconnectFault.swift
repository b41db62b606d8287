import ChaosCore
import Foundation

/// A network partition of one container: disconnected from one network as a journaled fault,
/// reconnected on revert with the aliases, links and addresses it had there.
///
/// The endpoint settings are read and journaled before the disconnect. A revert reconnects
/// only while the container is still off that network: if someone reconnected it since,
/// that connection is theirs and is left as it is.
public struct ContainerDisconnectFault: PreflightFault {
    public static let kind = "container-disconnect"

    public let engine: ContainerEngine
    public let container: ContainerSummary
    /// The network as the user named it (name or ID).
    public let network: String
    public let duration: Double?

    public init(engine: ContainerEngine, container: ContainerSummary, network: String, duration: Double?) {
        self.engine = engine
        self.container = container
        self.network = network
        self.duration = duration
    }

    public var kind: String { Self.kind }
    public var target: String { "container \(container.name) (\(container.shortID)) on \(engine.host), network \(network)" }
    public var summary: String {
        "disconnected from network \(network) " + (duration.map { "for \(DurationParser.format($0))" } ?? "until interrupted")
    }

    /// The network (resolved to its name, as inspect keys it) and the container's endpoint on
    /// it; refused when the container is not on it.
    public func endpoint() throws -> (NetworkSummary, EndpointSettings) {
        let net = try engine.network(network)
        let networks = try engine.inspect(container.id).networks
        guard let endpoint = networks[net.name] else {
            let on = networks.keys.sorted()
            throw ContainerEngineError(reason: .conflict, operation: "disconnect", container: "\(container.name) (\(container.shortID))",
                                       status: 0, engineMessage: "not on network \(net.name) (it is on: \(on.isEmpty ? "no network" : on.joined(separator: ", "))); nothing to disconnect")
        }
        return (net, endpoint)
    }

    public func preflight() throws { _ = try endpoint() }

    /// What a dry run shows: the endpoint that would be restored.
    public func plan() throws -> String {
        let (net, e) = try endpoint()
        return "disconnect from \(net.name) (\(Self.describe(e, containerID: container.id)))"
    }

    public func revertData() throws -> [String: String] {
        let (net, e) = try endpoint()
        var data = ["host": engine.host.description, "id": container.id, "name": container.name,
                    "network": net.name, "network_id": net.id]
        data["aliases"] = Self.joined(e.ownAliases(containerID: container.id))
        data["links"] = Self.joined(e.links ?? [])
        data["ipv4"] = e.wantedIPv4
        data["ipv6"] = e.wantedIPv6
        return data
    }

    public func apply() throws {
        try engine.disconnect(container.id, from: try engine.network(network).name)
    }

    static func describe(_ e: EndpointSettings, containerID: String) -> String {
        var parts: [String] = []
        let aliases = e.ownAliases(containerID: containerID)
        parts.append(aliases.isEmpty ? "no aliases" : "aliases " + aliases.joined(separator: ","))
        if let v4 = e.wantedIPv4 { parts.append("address \(v4)") }
        if let v6 = e.wantedIPv6 { parts.append("address \(v6)") }
        return parts.joined(separator: ", ")
    }

    /// Journal values are strings: a list as one JSON array.
    static func joined(_ list: [String]) -> String? {
        list.isEmpty ? nil : (try? JSONEncoder().encode(list)).map { String(decoding: $0, as: UTF8.self) }
    }

    static func split(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }
}

/// Reconnects a container from its journaled record. Idempotent: a container that is gone,
/// or already back on the network (someone reconnected it: left alone), needs nothing.
public struct ContainerDisconnectReverter: ContainerRecordReverter {
    public let kind = ContainerDisconnectFault.kind
    public let connect: @Sendable (DockerHost) -> ContainerEngine

    public init(connect: @escaping @Sendable (DockerHost) -> ContainerEngine = journaledEngine) {
        self.connect = connect
    }

    public func revert(_ record: FaultRecord, engine: ContainerEngine) throws -> FaultRevertResult {
        let data = record.revertData
        guard let id = data["id"], !id.isEmpty, let network = data["network"], !network.isEmpty else {
            throw ChaosError("\(kind) record \(record.id) has no container id or network")
        }
        let name = data["name"] ?? id
        let details: ContainerDetails
        do { details = try engine.inspect(id) } catch let e as ContainerEngineError where e.reason == .notFound {
            return FaultRevertResult()
        }
        if details.networks[network] != nil {
            return FaultRevertResult(leftAlone: ["container \(name): back on network \(network) already (reconnected by someone else since); left as it is"])
        }
        do { _ = try engine.network(data["network_id"] ?? network) } catch let e as ContainerEngineError where e.reason == .notFound {
            return FaultRevertResult(leftAlone: ["container \(name): network \(network) no longer exists; cannot reconnect"])
        }
        let addresses = EndpointSettings.IPAM(ipv4Address: data["ipv4"], ipv6Address: data["ipv6"])
        var endpoint = EndpointSettings(ipamConfig: data["ipv4"] == nil && data["ipv6"] == nil ? nil : addresses,
                                        links: ContainerDisconnectFault.split(data["links"]),
                                        aliases: ContainerDisconnectFault.split(data["aliases"]))
        do {
            try engine.connect(id, to: network, endpoint: endpoint)
        } catch let e as ContainerEngineError where endpoint.ipamConfig != nil && e.engineMessage.contains("user specified IP address") {
            // Docker takes a requested address only on networks created with a subnet; on
            // others its IPAM picks one (moby: "user specified IP address is supported only
            // when connecting to networks with user configured subnets").
            endpoint.ipamConfig = nil
            try engine.connect(id, to: network, endpoint: endpoint)
            return FaultRevertResult(leftAlone: ["container \(name): reconnected to \(network) with its aliases; its previous address \(data["ipv4"] ?? data["ipv6"] ?? "") could not be asked for (the network has no configured subnet), the engine chose one"])
        }
        return FaultRevertResult()
    }
}
