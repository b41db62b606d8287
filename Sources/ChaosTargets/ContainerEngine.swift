import Foundation

/// The container operations chaos actions need, as a Docker-compatible engine offers them.
/// `DockerClient` implements it for Docker and Podman's Docker-compatible API.
public protocol ContainerEngine: AnyObject {
    /// Where the engine is, for messages and for reverters that reconnect later.
    var host: DockerHost { get }
    /// Containers whose labels match every `key` or `key=value` in `labels`; `all` includes
    /// stopped ones; `statuses` narrows by state ("running", "exited", …).
    func list(labels: [String], statuses: [String], all: Bool) throws -> [ContainerSummary]
    func inspect(_ id: String) throws -> ContainerDetails
    func kill(_ id: String, signal: String) throws
    /// Returns false when the container was already stopped (HTTP 304).
    @discardableResult func stop(_ id: String, timeout: Int) throws -> Bool
    /// Returns false when the container was already running (HTTP 304).
    @discardableResult func start(_ id: String) throws -> Bool
    func restart(_ id: String, timeout: Int) throws
    func pause(_ id: String) throws
    func unpause(_ id: String) throws
    /// A network by name or ID (404: notFound).
    func network(_ idOrName: String) throws -> NetworkSummary
    func disconnect(_ id: String, from network: String) throws
    /// Connect with the endpoint's aliases, links and addresses (nil: the engine's defaults).
    func connect(_ id: String, to network: String, endpoint: EndpointSettings?) throws
    /// Set only `fields`: `POST /containers/{id}/update` on Docker, Podman's libpod
    /// `POST /libpod/containers/{name}/update`; an engine with neither is `.unsupported`.
    func update(_ id: String, _ fields: [ResourceField: Int64]) throws
    /// `inspect`, with `resources` the limits in force now (Podman: read from the cgroup files,
    /// as its inspect does not show an update).
    func limits(_ id: String) throws -> ContainerDetails
    /// Bytes of memory the container uses now (`memory_stats.usage` of a one-shot stats read).
    func memoryUsage(_ id: String) throws -> Int64
}
