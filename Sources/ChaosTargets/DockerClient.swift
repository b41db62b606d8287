import ChaosCore
import ChaosHTTP
import Foundation

/// Docker Engine API client (also Podman's Docker-compatible service). Negotiates the API
/// version on first use: the engine's version from `/_ping`, capped at
/// `DockerAPIVersion.newestKnown`, refusing engines older than `oldestSupported`.
// @unchecked Sendable: `negotiated` is guarded by `lock`.
public final class DockerClient: ContainerEngine, @unchecked Sendable {
    public let host: DockerHost
    public let http: HTTPClient
    private let lock = NSLock()
    private var negotiated: EngineInfo?

    /// - Parameter apiVersion: skip negotiation and use this version.
    public init(host: DockerHost, timeout: Double = 60, apiVersion: DockerAPIVersion? = nil) {
        self.host = host
        self.http = HTTPClient(host.httpConfiguration(timeout: timeout))
        if let apiVersion {
            negotiated = EngineInfo(apiVersion: apiVersion, engineAPIVersion: apiVersion, server: "")
        }
    }

    /// Client for `DOCKER_HOST` (or the default socket).
    public convenience init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.init(host: try DockerHost.fromEnvironment(environment))
    }

    // MARK: version negotiation

    /// Ping the engine and settle the API version (cached after the first success).
    @discardableResult
    public func engineInfo() throws -> EngineInfo {
        lock.lock()
        if let n = negotiated { lock.unlock(); return n }
        lock.unlock()
        let ping = try http.get("/_ping")
        guard ping.isSuccess else {
            throw failure(ping, operation: "ping \(host)", container: nil)
        }
        var server = ping.header("Server") ?? ""
        var engineVersion = ping.header("API-Version").flatMap(DockerAPIVersion.init)
        var minimum: DockerAPIVersion?
        if engineVersion == nil || server.isEmpty {
            // Old engines or proxies without the header: ask /version (unversioned path).
            let v = try http.get("/version")
            if v.isSuccess, let body = try? v.decode(EngineVersionBody.self) {
                engineVersion = engineVersion ?? body.ApiVersion.flatMap(DockerAPIVersion.init)
                minimum = body.MinAPIVersion.flatMap(DockerAPIVersion.init)
                if server.isEmpty, let version = body.Version { server = "Docker/\(version)" }
            }
        }
        guard let engineVersion else {
            throw ContainerEngineError(reason: .unsupported, operation: "connect to \(host)", container: nil, status: ping.status,
                                       engineMessage: "the engine did not report an API version; is this a Docker-compatible API?")
        }
        if engineVersion < DockerAPIVersion.oldestSupported {
            throw ContainerEngineError(reason: .unsupported, operation: "connect to \(host)", container: nil, status: ping.status,
                                       engineMessage: "engine API \(engineVersion) is too old; chaosctl needs API \(DockerAPIVersion.oldestSupported) or newer (Docker 1.12+)")
        }
        if let minimum, minimum > DockerAPIVersion.newestKnown {
            throw ContainerEngineError(reason: .unsupported, operation: "connect to \(host)", container: nil, status: ping.status,
                                       engineMessage: "engine requires API \(minimum) or newer; chaosctl speaks up to \(DockerAPIVersion.newestKnown)")
        }
        let info = EngineInfo(apiVersion: min(engineVersion, DockerAPIVersion.newestKnown),
                              engineAPIVersion: engineVersion, server: server)
        lock.lock(); negotiated = info; lock.unlock()
        return info
    }

    private func versioned(_ path: String) throws -> String {
        "/v\(try engineInfo().apiVersion)" + path
    }

    // MARK: operations

    public func list(labels: [String], statuses: [String] = [], all: Bool = true) throws -> [ContainerSummary] {
        var filters: [String: [String]] = [:]
        if !labels.isEmpty { filters["label"] = labels }
        if !statuses.isEmpty { filters["status"] = statuses }
        var query = all ? "all=1" : "all=0"
        if !filters.isEmpty {
            let json = String(decoding: try JSONEncoder().encode(filters), as: UTF8.self)
            query += "&filters=" + Self.percentEncode(json)
        }
        let response = try http.get(try versioned("/containers/json?" + query))
        guard response.isSuccess else { throw failure(response, operation: "list containers", container: nil) }
        return try response.decode([ContainerSummary].self)
    }

    public func inspect(_ id: String) throws -> ContainerDetails {
        let response = try http.get(try versioned("/containers/\(Self.percentEncode(id))/json"))
        guard response.isSuccess else { throw failure(response, operation: "inspect", container: id) }
        return try response.decode(ContainerDetails.self)
    }

    public func kill(_ id: String, signal: String) throws {
        try post("/containers/\(Self.percentEncode(id))/kill?signal=\(Self.percentEncode(signal))", operation: "kill", container: id)
    }

    @discardableResult
    public func stop(_ id: String, timeout: Int) throws -> Bool {
        // The engine waits up to `timeout` before SIGKILL: the HTTP call must outlast it.
        try post("/containers/\(Self.percentEncode(id))/stop?t=\(timeout)", operation: "stop", container: id,
                 httpTimeout: Double(timeout) + 30) != 304
    }

    @discardableResult
    public func start(_ id: String) throws -> Bool {
        try post("/containers/\(Self.percentEncode(id))/start", operation: "start", container: id) != 304
    }

    public func restart(_ id: String, timeout: Int) throws {
        try post("/containers/\(Self.percentEncode(id))/restart?t=\(timeout)", operation: "restart", container: id,
                 httpTimeout: Double(timeout) + 30)
    }

    public func pause(_ id: String) throws {
        try post("/containers/\(Self.percentEncode(id))/pause", operation: "pause", container: id)
    }

    public func unpause(_ id: String) throws {
        try post("/containers/\(Self.percentEncode(id))/unpause", operation: "unpause", container: id)
    }

    public func network(_ idOrName: String) throws -> NetworkSummary {
        let response = try http.get(try versioned("/networks/\(Self.percentEncode(idOrName))"))
        guard response.isSuccess else { throw failure(response, operation: "network \(idOrName)", container: nil) }
        return try response.decode(NetworkSummary.self)
    }

    // Network errors name no container: a 404 there is the network's (Podman answers 404
    // "network not found" for a container not on it).
    public func disconnect(_ id: String, from network: String) throws {
        try post("/networks/\(Self.percentEncode(network))/disconnect", body: NetworkDisconnectBody(Container: id),
                 operation: "disconnect \(id) from network \(network)", container: nil)
    }

    public func connect(_ id: String, to network: String, endpoint: EndpointSettings?) throws {
        let config = endpoint.map { e in
            NetworkConnectBody.Endpoint(Aliases: e.ownAliases(containerID: id).nilIfEmpty, Links: e.links?.nilIfEmpty,
                                        IPAMConfig: e.ipamConfig)
        }
        try post("/networks/\(Self.percentEncode(network))/connect", body: NetworkConnectBody(Container: id, EndpointConfig: config),
                 operation: "connect \(id) to network \(network)", container: nil)
    }

    public func update(_ id: String, _ fields: [ResourceField: Int64]) throws {
        let info = try engineInfo()
        if info.isPodman {
            // Podman 4.3's compat API has no update route; its libpod API has (`podman update`).
            let path = "/v\(info.libpodVersion)/libpod/containers/\(Self.percentEncode(id))/update"
            let response = try http.send(try HTTPRequest.json(method: "POST", path, LibpodResourceUpdate(fields)))
            guard response.isSuccess else { throw failure(response, operation: "update limits", container: id) }
            return
        }
        let response = try http.send(try HTTPRequest.json(method: "POST", try versioned("/containers/\(Self.percentEncode(id))/update"),
                                                          ResourceUpdateBody(fields: fields)))
        guard response.isSuccess else {
            // An engine without the route answers 404 with a plain-text "Not Found", as for any
            // unknown path (podman-4.3-docker-api-transcript.md, `GET /v1.41/nosuchendpoint`),
            // where a missing container is a JSON 404.
            if response.status == 404, (try? response.decode(EngineErrorBody.self)) == nil {
                throw ContainerEngineError(reason: .unsupported, operation: "update limits", container: id, status: 404,
                                           engineMessage: "this engine's API has no POST /containers/{id}/update (404 Not Found); change limits with the engine's own tools")
            }
            throw failure(response, operation: "update limits", container: id)
        }
    }

    public func limits(_ id: String) throws -> ContainerDetails {
        var details = try inspect(id)
        // Podman 4.3's inspect shows the limits the container was created with, not a later
        // update's: the kernel's cgroup files are what is in force.
        if try engineInfo().isPodman, details.state.running, details.state.pid > 0 {
            details.resources = try CgroupLimits.of(pid: details.state.pid)
        }
        return details
    }

    public func memoryUsage(_ id: String) throws -> Int64 {
        let response = try http.get(try versioned("/containers/\(Self.percentEncode(id))/stats?stream=false&one-shot=true"))
        guard response.isSuccess else { throw failure(response, operation: "stats", container: id) }
        return try response.decode(ContainerStatsBody.self).memory_stats?.usage ?? 0
    }

    /// Follow `/events` (one JSON object per line, each an `EngineEvent`) until `onEvent` returns false, `token`
    /// is cancelled, or `timeout` passes. Filters use the API's syntax, e.g.
    /// `["container": [id], "event": ["start"]]`.
    public func events(filters: [String: [String]], timeout: Double? = nil, token: CancellationToken? = nil,
                       onEvent: @escaping (EngineEvent) -> Bool) throws {
        let json = String(decoding: try JSONEncoder().encode(filters), as: UTF8.self)
        let request = HTTPRequest(try versioned("/events?filters=" + Self.percentEncode(json)))
        let decoder = JSONDecoder()
        let response = try http.streamLines(request, timeout: timeout, token: token) { line in
            guard let event = try? decoder.decode(EngineEvent.self, from: line) else { return true }
            return onEvent(event)
        }
        guard response.isSuccess else { throw failure(response, operation: "events", container: nil) }
    }

    // MARK: plumbing

    @discardableResult
    func post(_ path: String, operation: String, container: String?, httpTimeout: Double? = nil) throws -> Int {
        try post(path, body: Optional<NetworkDisconnectBody>.none, operation: operation, container: container, httpTimeout: httpTimeout)
    }

    /// POST with an optional JSON body; the answer's status, or the engine's refusal as an error.
    @discardableResult
    func post<Body: Encodable>(_ path: String, body: Body?, operation: String, container: String?,
                               httpTimeout: Double? = nil) throws -> Int {
        var request = HTTPRequest(method: "POST", try versioned(path), timeout: httpTimeout)
        if let body {
            request.body = try JSONEncoder().encode(body)
            request.headers.append(("Content-Type", "application/json"))
        }
        let response = try http.send(request)
        // 204 done, 304 already in that state (start/stop), 200 some engines' restart.
        guard response.isSuccess || response.status == 304 else {
            throw failure(response, operation: operation, container: container)
        }
        return response.status
    }

    func failure(_ response: HTTPResponse, operation: String, container: String?) -> ContainerEngineError {
        var message = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let body = try? response.decode(EngineErrorBody.self) { message = body.message }
        return ContainerEngineError.classify(status: response.status, message: message, operation: operation, container: container)
    }

    /// `GET /version` (the fields negotiation reads).
    struct EngineVersionBody: Decodable {
        var ApiVersion: String?
        var MinAPIVersion: String?
        var Version: String?
    }

    /// An error answer: `{"message": …}` on both engines (Podman adds `cause` and `response`).
    struct EngineErrorBody: Decodable {
        var message: String
    }

    /// Percent-encode for a query value or path segment (RFC 3986 unreserved kept).
    static func percentEncode(_ text: String) -> String {
        // ASCII only: CharacterSet.alphanumerics would let non-ASCII letters through raw.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
