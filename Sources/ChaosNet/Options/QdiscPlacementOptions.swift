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

    public static let optionNames = ["dev", "netns", "pid", "container", "docker-host", "force"]

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
        self.init(device: device, netns: values.text("netns"),
                  pid: try values.parse("pid") { try TcUnits.integer($0, field: "--pid", as: Int32.self) },
                  container: values.text("container"), dockerHost: values.text("docker-host"),
                  force: try values.flag("force"))
        if container != nil && (netns != nil || pid != nil) {
            throw ChaosError("--container, --netns and --pid name the namespace three ways: give one", exitCode: .usage)
        }
        // Checked now, so a bad name is refused before anything is looked up or applied.
        _ = try NetTarget.from(netns: netns, pid: pid)
    }

    /// The fault's target. `containerPid`: the main process of `container`, looked up by the
    /// caller through the engine API.
    public func target(containerPid: Int32? = nil) throws -> QdiscFaultTarget {
        QdiscFaultTarget(target: try NetTarget.from(netns: netns, pid: containerPid ?? pid), device: device, force: force)
    }
}
