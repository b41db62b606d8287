import ChaosCore

/// A running container's network namespace, named by its main process as the engine
/// reports it: what netem and tbf need to shape a container's traffic.
public enum ContainerNetns {
    /// - Parameter dockerHost: the engine API (nil: $DOCKER_HOST, else the default socket).
    public static func mainPid(of container: String, dockerHost: String?) throws -> Int32 {
        let host = try dockerHost.map { try DockerHost($0) } ?? DockerHost.fromEnvironment()
        let details = try DockerClient(host: host, timeout: 30).inspect(container)
        guard details.state.running, details.state.pid > 0 else {
            throw ChaosError("container \(container) is not running (state \(details.state.status)): it has no network namespace to shape",
                             exitCode: .conflict)
        }
        return Int32(details.state.pid)
    }
}
