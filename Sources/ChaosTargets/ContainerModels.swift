import Foundation

/// One entry of `GET /containers/json` (the fields chaosctl uses).
public struct ContainerSummary: Codable, Equatable, Sendable {
    public var id: String
    public var names: [String]
    public var image: String
    public var labels: [String: String]
    /// "created", "running", "paused", "restarting", "exited", "dead".
    public var state: String
    /// Human text such as "Up 3 seconds".
    public var status: String

    enum CodingKeys: String, CodingKey {
        case id = "Id", names = "Names", image = "Image", labels = "Labels", state = "State", status = "Status"
    }

    public init(id: String, names: [String], image: String = "", labels: [String: String] = [:],
                state: String, status: String = "") {
        self.id = id
        self.names = names
        self.image = image
        self.labels = labels
        self.state = state
        self.status = status
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        names = try c.decodeIfPresent([String].self, forKey: .names) ?? []
        image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        state = try c.decodeIfPresent(String.self, forKey: .state) ?? ""
        status = try c.decodeIfPresent(String.self, forKey: .status) ?? ""
    }

    /// The name without the leading "/" the API puts there.
    public var name: String {
        let n = names.first ?? id
        return n.hasPrefix("/") ? String(n.dropFirst()) : n
    }

    public var shortID: String { String(id.prefix(12)) }
}

/// The parts of `GET /containers/{id}/json` that chaos actions and recovery need.
public struct ContainerDetails: Decodable, Equatable, Sendable {
    public struct State: Decodable, Equatable, Sendable {
        public var status: String
        public var running: Bool
        public var paused: Bool
        public var restarting: Bool
        public var pid: Int
        public var exitCode: Int
        public var startedAt: String
        public var finishedAt: String

        enum CodingKeys: String, CodingKey {
            case status = "Status", running = "Running", paused = "Paused", restarting = "Restarting"
            case pid = "Pid", exitCode = "ExitCode", startedAt = "StartedAt", finishedAt = "FinishedAt"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            status = try c.decodeIfPresent(String.self, forKey: .status) ?? ""
            running = try c.decodeIfPresent(Bool.self, forKey: .running) ?? false
            paused = try c.decodeIfPresent(Bool.self, forKey: .paused) ?? false
            restarting = try c.decodeIfPresent(Bool.self, forKey: .restarting) ?? false
            pid = try c.decodeIfPresent(Int.self, forKey: .pid) ?? 0
            exitCode = try c.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
            startedAt = try c.decodeIfPresent(String.self, forKey: .startedAt) ?? ""
            finishedAt = try c.decodeIfPresent(String.self, forKey: .finishedAt) ?? ""
        }

        /// Running and serving: not paused, not between restarts.
        public var isUp: Bool { running && !paused && !restarting }
    }

    public var id: String
    public var name: String
    public var state: State
    public var restartCount: Int
    public var restartPolicy: String
    /// Its CPU and memory limits (`HostConfig`).
    public var resources: ContainerResources
    /// The networks it is on, by name (`NetworkSettings.Networks`).
    public var networks: [String: EndpointSettings]

    enum CodingKeys: String, CodingKey {
        case id = "Id", name = "Name", state = "State", restartCount = "RestartCount", hostConfig = "HostConfig"
        case networkSettings = "NetworkSettings"
    }
    enum HostConfigKeys: String, CodingKey { case restartPolicy = "RestartPolicy" }
    enum PolicyKeys: String, CodingKey { case name = "Name" }
    enum NetworkSettingsKeys: String, CodingKey { case networks = "Networks" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        let n = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        name = n.hasPrefix("/") ? String(n.dropFirst()) : n
        state = try c.decode(State.self, forKey: .state)
        restartCount = try c.decodeIfPresent(Int.self, forKey: .restartCount) ?? 0
        if let host = try? c.nestedContainer(keyedBy: HostConfigKeys.self, forKey: .hostConfig),
           let policy = try? host.nestedContainer(keyedBy: PolicyKeys.self, forKey: .restartPolicy) {
            restartPolicy = (try? policy.decodeIfPresent(String.self, forKey: .name)) ?? nil ?? ""
        } else {
            restartPolicy = ""
        }
        resources = (try? c.decodeIfPresent(ContainerResources.self, forKey: .hostConfig)) ?? nil ?? ContainerResources()
        let settings = try? c.nestedContainer(keyedBy: NetworkSettingsKeys.self, forKey: .networkSettings)
        networks = (try? settings?.decodeIfPresent([String: EndpointSettings].self, forKey: .networks)) ?? nil ?? [:]
    }
}

/// What the engine says about itself.
public struct EngineInfo: Equatable, Sendable {
    /// The API version every request uses (the engine's, capped at what chaosctl knows).
    public var apiVersion: DockerAPIVersion
    /// The engine's own newest API version.
    public var engineAPIVersion: DockerAPIVersion
    /// "Docker/20.10.24+dfsg1 (linux)", "Libpod/4.3.1 (linux)".
    public var server: String
    public var isPodman: Bool { server.lowercased().contains("libpod") || server.lowercased().contains("podman") }
    /// Podman's own API version for `/v…/libpod/` paths, from "Libpod/4.3.1 (linux)".
    public var libpodVersion: String {
        let afterSlash = server.split(separator: "/", maxSplits: 1).dropFirst().first ?? "4.0.0"
        return String(afterSlash.split(separator: " ").first ?? "4.0.0")
    }
}
