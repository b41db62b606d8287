import Foundation

/// One entry of `NetworkSettings.Networks` in `GET /containers/{id}/json`: what a container
/// has on one network, and what a reconnect needs to give it back.
///
/// Docker fills `IPAMConfig` only for addresses asked for at create/connect time; Podman 4.3
/// leaves it null even then and names the network in `NetworkID` (Docker gives the ID).
public struct EndpointSettings: Codable, Equatable, Sendable {
    public struct IPAM: Codable, Equatable, Sendable {
        public var ipv4Address: String?
        public var ipv6Address: String?
        enum CodingKeys: String, CodingKey { case ipv4Address = "IPv4Address", ipv6Address = "IPv6Address" }
        public init(ipv4Address: String?, ipv6Address: String?) {
            self.ipv4Address = ipv4Address
            self.ipv6Address = ipv6Address
        }
    }

    public var ipamConfig: IPAM?
    public var links: [String]?
    public var aliases: [String]?
    public var networkID: String?
    public var ipAddress: String?
    public var globalIPv6Address: String?

    enum CodingKeys: String, CodingKey {
        case ipamConfig = "IPAMConfig", links = "Links", aliases = "Aliases", networkID = "NetworkID"
        case ipAddress = "IPAddress", globalIPv6Address = "GlobalIPv6Address"
    }

    public init(ipamConfig: IPAM? = nil, links: [String]? = nil, aliases: [String]? = nil, networkID: String? = nil,
                ipAddress: String? = nil, globalIPv6Address: String? = nil) {
        self.ipamConfig = ipamConfig
        self.links = links
        self.aliases = aliases
        self.networkID = networkID
        self.ipAddress = ipAddress
        self.globalIPv6Address = globalIPv6Address
    }

    /// The IPv4 address to ask for on reconnect: the configured one, else the current one.
    public var wantedIPv4: String? { Self.nonEmpty(ipamConfig?.ipv4Address) ?? Self.nonEmpty(ipAddress) }
    public var wantedIPv6: String? { Self.nonEmpty(ipamConfig?.ipv6Address) ?? Self.nonEmpty(globalIPv6Address) }

    /// Aliases without the short container ID, which both engines add by themselves on every
    /// connect (Podman 4.3 lists it twice if it is also asked for).
    public func ownAliases(containerID: String) -> [String] {
        (aliases ?? []).filter { $0 != String(containerID.prefix(12)) }
    }

    private static func nonEmpty(_ s: String?) -> String? { s.flatMap { $0.isEmpty ? nil : $0 } }
}

/// `GET /networks/{id}`: a network's name and ID (the user may give either).
public struct NetworkSummary: Decodable, Equatable, Sendable {
    public var name: String
    public var id: String
    enum CodingKeys: String, CodingKey { case name = "Name", id = "Id" }
}

/// The body of `POST /networks/{id}/connect`.
struct NetworkConnectBody: Encodable {
    struct Endpoint: Encodable {
        var Aliases: [String]?
        var Links: [String]?
        var IPAMConfig: EndpointSettings.IPAM?
    }
    var Container: String
    var EndpointConfig: Endpoint?
}

/// The body of `POST /networks/{id}/disconnect`.
struct NetworkDisconnectBody: Encodable {
    var Container: String
}
