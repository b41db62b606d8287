import ChaosCore

/// Which network namespace a ChaosNet fault acts in: the current one, a named one, a
/// process's, or a container's (whose main process the caller looks up through the engine
/// API: ChaosNet knows no container engine). Shared by qdisc and port-block faults.
public struct NetnsPlacementOptions: Equatable, Sendable {
    public var netns: String?
    public var pid: Int32?
    /// A Docker/Podman container name or ID; its netns is its main process's.
    public var container: String?
    /// The engine API for `container` (nil: $DOCKER_HOST, else the default socket).
    public var dockerHost: String?

    public static let optionNames = ["netns", "pid", "container", "docker-host"]

    public init(netns: String? = nil, pid: Int32? = nil, container: String? = nil, dockerHost: String? = nil) {
        self.netns = netns
        self.pid = pid
        self.container = container
        self.dockerHost = dockerHost
    }

    /// Checked now, so a bad name is refused before anything is looked up or applied.
    public init(_ values: OptionValues) throws {
        self.init(netns: values.text("netns"),
                  pid: try values.parse("pid") { try TcUnits.integer($0, field: "--pid", as: Int32.self) },
                  container: values.text("container"), dockerHost: values.text("docker-host"))
        if container != nil && (netns != nil || pid != nil) {
            throw ChaosError("--container, --netns and --pid name the namespace three ways: give one", exitCode: .usage)
        }
        _ = try NetTarget.from(netns: netns, pid: pid)
    }

    /// The namespace. `containerPid`: the main process of `container`, looked up by the caller.
    public func target(containerPid: Int32? = nil) throws -> NetTarget {
        try NetTarget.from(netns: netns, pid: containerPid ?? pid)
    }
}
