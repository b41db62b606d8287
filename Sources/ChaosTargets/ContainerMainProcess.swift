import ChaosCore

/// A running container's main process on this host, as its engine reports it, with a label
/// for messages: what a stress needs to find the container's cgroups.
public enum ContainerMainProcess {
    /// - Parameter dockerHost: the engine API (nil: $DOCKER_HOST, else the default socket).
    /// - Returns: the main PID, the full container ID (its cgroup paths carry it) and
    ///   "container NAME (SHORTID)".
    public static func of(_ container: String, dockerHost: String?) throws -> (pid: Int32, id: String, label: String) {
        let host = try dockerHost.map { try DockerHost($0) } ?? DockerHost.fromEnvironment()
        let details = try DockerClient(host: host, timeout: 30).inspect(container)
        let label = "container \(details.name) (\(details.id.prefix(12)))"
        guard details.state.running, details.state.pid > 0 else {
            throw ChaosError("\(label) is not running (state \(details.state.status)): it has no processes whose cgroups to join",
                             exitCode: .conflict)
        }
        return (Int32(details.state.pid), details.id, label)
    }
}
