import ChaosCore

/// Every option of a port block, typed: what `chaosctl block` and a `block:` step both
/// build from their option values (names as the CLI spells them).
public struct PortBlockOptions: Equatable, Sendable {
    public var placement: NetnsPlacementOptions
    public var spec: PortBlockSpec

    public static let optionNames = NetnsPlacementOptions.optionNames + ["port", "direction", "protocol", "reject", "drop"]

    public init(placement: NetnsPlacementOptions, spec: PortBlockSpec) {
        self.placement = placement
        self.spec = spec
    }

    /// Parse and validate every option; the first bad one is thrown, named.
    public init(_ v: OptionValues) throws {
        placement = try NetnsPlacementOptions(v)
        guard let port = try v.parse("port", PortBlockSpec.port) else {
            throw OptionValueError(option: "port", value: nil, reason: "is required: the port to block, 1 to 65535 (e.g. 5432)")
        }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _: T.Type) throws -> T? where T.RawValue == String {
            try v.parse(name) { text in
                guard let value = T(rawValue: text.lowercased()) else {
                    throw ChaosError("is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", exitCode: .usage)
                }
                return value
            }
        }
        let reject = try v.flag("reject"), drop = try v.flag("drop")
        if reject && drop {
            throw OptionValueError(option: "drop", value: nil, reason: "and --reject exclude each other: give one (the default is --drop)")
        }
        spec = PortBlockSpec(port: port, direction: try choice("direction", PortBlockSpec.Direction.self) ?? .egress,
                             transport: try choice("protocol", PortBlockSpec.TransportProtocol.self) ?? .tcp,
                             verdict: reject ? .reject : .drop)
    }

    /// The fault. `containerPid`: the main process of `placement.container`, looked up by
    /// the caller through the engine API.
    public func fault(containerPid: Int32? = nil) throws -> PortBlockFault {
        PortBlockFault(spec, in: try placement.target(containerPid: containerPid))
    }
}
