import ChaosCore

/// Every option of a tbf fault, typed: what `chaosctl tbf apply` and a `tbf:` step both
/// build from their option values.
public struct TbfFaultOptions: Equatable, Sendable {
    public var placement: QdiscPlacementOptions
    public var spec: TbfSpec

    public static let optionNames = QdiscPlacementOptions.optionNames + ["rate", "burst", "latency", "limit", "peakrate", "mtu"]

    public init(placement: QdiscPlacementOptions, spec: TbfSpec) {
        self.placement = placement
        self.spec = spec
    }

    public init(_ v: OptionValues) throws {
        placement = try QdiscPlacementOptions(v)
        func required<T>(_ name: String, _ what: String, _ convert: (String) throws -> T) throws -> T {
            guard let value = try v.parse(name, convert) else {
                throw OptionValueError(option: name, value: nil, reason: "is required (\(what))")
            }
            return value
        }
        spec = TbfSpec(rateBytesPerSecond: try required("rate", "the sustained rate, e.g. 1mbit") { try TcUnits.rate($0, field: "--rate") },
                       burstBytes: try required("burst", "the bucket size, e.g. 32kbit") { try TcUnits.size($0, field: "--burst") },
                       limitBytes: try v.parse("limit") { try TcUnits.size($0, field: "--limit") },
                       latencyNs: try v.parse("latency") { try TcUnits.time($0, field: "--latency") },
                       peakRateBytesPerSecond: try v.parse("peakrate") { try TcUnits.rate($0, field: "--peakrate") },
                       mtuBytes: try v.parse("mtu") { try TcUnits.size($0, field: "--mtu") })
        try spec.validate()
    }

    public func fault(containerPid: Int32? = nil) throws -> TbfFault {
        try TbfFault(spec, on: try placement.target(containerPid: containerPid))
    }
}
