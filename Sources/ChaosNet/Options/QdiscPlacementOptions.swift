import ChaosCore

/// Where a netem or tbf fault goes: a device in the current network namespace, a named
/// one, a process's, or a container's (whose main process the caller looks up: ChaosNet
/// knows no container engine). Shared by the `netem`/`tbf` commands and steps.
public struct QdiscPlacementOptions: Equatable, Sendable {
    public var device: String
    public var netns: String?
    public var pid: Int32?
    /// A Docker/Podman container name or ID; its netns is its main process's.
    public var container: String?
    /// The engine API for `container` (nil: $DOCKER_HOST, else the default socket).
    public var dockerHost: String?
    /// Replace a root qdisc chaosctl did not install (saved, and put back on revert).
    public var force: Bool

    public static let optionNames = ["dev"] + NetnsPlacementOptions.optionNames + ["force"]

    public init(device: String, netns: String? = nil, pid: Int32? = nil, container: String? = nil,
                dockerHost: String? = nil, force: Bool = false) {
        self.device = device
        self.netns = netns
        self.pid = pid
        self.container = container
        self.dockerHost = dockerHost
        self.force = force
    }

    public init(_ values: OptionValues) throws {
        guard let device = values.text("dev"), !device.isEmpty else {
            throw OptionValueError(option: "dev", value: nil, reason: "is required: the network interface, e.g. eth0")
        }
        let namespace = try NetnsPlacementOptions(values)
        self.init(device: device, netns: namespace.netns, pid: namespace.pid, container: namespace.container,
                  dockerHost: namespace.dockerHost, force: try values.flag("force"))
    }

    /// The namespace part, as every ChaosNet fault names it.
    public var namespace: NetnsPlacementOptions {
        NetnsPlacementOptions(netns: netns, pid: pid, container: container, dockerHost: dockerHost)
    }

    /// The fault's target. `containerPid`: the main process of `container`, looked up by the
    /// caller through the engine API.
    public func target(containerPid: Int32? = nil) throws -> QdiscFaultTarget {
        QdiscFaultTarget(target: try namespace.target(containerPid: containerPid), device: device, force: force)
    }
}
