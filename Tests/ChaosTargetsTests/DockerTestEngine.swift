import ChaosHTTP
import ChaosTargets
import ChaosTestSupport
import Foundation
import XCTest

/// The real engine the integration tests talk to (dockerd, or Podman's Docker-compatible
/// service). Either CI (or a developer) started one and exported CHAOSCTL_TEST_DOCKER_HOST /
/// CHAOSCTL_TEST_PODMAN_HOST, or the suite starts its own with scripts/docker-engine.sh or
/// scripts/podman-engine.sh in a private state dir and stops it when the class finishes.
final class DockerTestEngine {
    enum Kind {
        case docker, podman

        var script: String { self == .docker ? "docker-engine.sh" : "podman-engine.sh" }
        var hostVariable: String { self == .docker ? "CHAOSCTL_TEST_DOCKER_HOST" : "CHAOSCTL_TEST_PODMAN_HOST" }
        var dirVariable: String { self == .docker ? "CHAOSCTL_DOCKER_DIR" : "CHAOSCTL_PODMAN_DIR" }
        var socketName: String { self == .docker ? "docker.sock" : "podman.sock" }
        var image: String { self == .docker ? "chaosctl-target:latest" : "localhost/chaosctl-target:latest" }
        var tools: [String] {
            self == .docker ? ["/usr/sbin/dockerd", "/usr/bin/docker", "/bin/busybox"]
                            : ["/usr/bin/podman", "/usr/bin/conmon", "/usr/sbin/runc", "/bin/busybox"]
        }
        var packages: String { self == .docker ? "docker.io and busybox-static" : "podman, conmon, runc and busybox-static" }
    }

    let kind: Kind
    let host: DockerHost
    let http: HTTPClient
    private let ownedStateDir: String?

    private init(kind: Kind, host: DockerHost, ownedStateDir: String?) {
        self.kind = kind
        self.host = host
        self.http = HTTPClient(host.httpConfiguration(timeout: 60))
        self.ownedStateDir = ownedStateDir
    }

    static var repositoryRoot: String {
        // Tests/ChaosTargetsTests/<this file> → repository root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Use the engine named by the environment, or start one; nil (with the reason) when
    /// neither is possible, so the tests skip (fail under CI=true: see fixtureUnavailable).
    static func acquire(_ kind: Kind = .docker) -> (DockerTestEngine?, String) {
        let env = ProcessInfo.processInfo.environment
        if let given = env[kind.hostVariable], !given.isEmpty {
            guard let host = try? DockerHost(given) else { return (nil, "\(kind.hostVariable)=\(given) is not a valid host") }
            return (DockerTestEngine(kind: kind, host: host, ownedStateDir: nil), "")
        }
        if env["CHAOSCTL_SKIP_DOCKER_TESTS"] == "1" { return (nil, "CHAOSCTL_SKIP_DOCKER_TESTS=1") }
        guard getuid() == 0 else { return (nil, "not root: a private engine needs root") }
        for tool in kind.tools where !FileManager.default.isExecutableFile(atPath: tool) {
            return (nil, "\(tool) missing: install \(kind.packages) (scripts/install-deps.sh)")
        }
        let dir = "/tmp/chaosctl-\(kind)-test-\(getpid())"
        let script = repositoryRoot + "/scripts/" + kind.script
        let (status, output) = run(["/bin/bash", script, "start", "0"], environment: [kind.dirVariable: dir])
        guard status == 0, output.contains("ENGINE_READY") else {
            _ = run(["/bin/bash", script, "stop"], environment: [kind.dirVariable: dir])
            return (nil, "scripts/\(kind.script) start failed: \(output.suffix(600))")
        }
        return (DockerTestEngine(kind: kind, host: DockerHost(endpoint: .unix(path: dir + "/" + kind.socketName)),
                                 ownedStateDir: dir), "")
    }

    /// Stop the engine if this suite started it (containers, engine by PID, state dir).
    func release() {
        guard let dir = ownedStateDir else { return }
        _ = Self.run(["/bin/bash", Self.repositoryRoot + "/scripts/" + kind.script, "stop"], environment: [kind.dirVariable: dir])
    }

    @discardableResult
    static func run(_ argv: [String], environment: [String: String] = [:]) -> (Int32, String) {
        runProcess(argv, environment: environment)
    }

    // MARK: test containers (made through the raw API: chaosctl itself never creates any)

    private struct CreateBody: Encodable {
        struct HostConfig: Encodable {
            struct Policy: Encodable { var Name: String }
            var NetworkMode = "none"
            var RestartPolicy: Policy
        }
        struct Endpoint: Encodable {
            var Aliases: [String]?
            var IPAMConfig: [String: String]?
        }
        struct NetworkingConfig: Encodable { var EndpointsConfig: [String: Endpoint] }
        var Image: String
        var Labels: [String: String]
        var Cmd: [String]?
        var HostConfig: HostConfig
        var NetworkingConfig: NetworkingConfig?
    }

    /// A place on a network for a test container: its aliases and, optionally, a fixed IPv4 address.
    struct Attachment {
        var network: String
        var aliases: [String] = []
        var ipv4: String?
    }

    /// Create and start a container; returns its ID.
    @discardableResult
    func startContainer(name: String, labels: [String: String], restart: String = "no", on attachment: Attachment? = nil,
                        command: [String]? = nil) throws -> String {
        _ = try? http.send(HTTPRequest(method: "DELETE", "/v1.41/containers/\(name)?force=1"))
        var body = CreateBody(Image: kind.image, Labels: labels, Cmd: command, HostConfig: .init(RestartPolicy: .init(Name: restart)))
        if let attachment {
            body.HostConfig.NetworkMode = attachment.network
            let endpoint = CreateBody.Endpoint(Aliases: attachment.aliases.isEmpty ? nil : attachment.aliases,
                                               IPAMConfig: attachment.ipv4.map { ["IPv4Address": $0] })
            body.NetworkingConfig = .init(EndpointsConfig: [attachment.network: endpoint])
        }
        let created = try http.send(try HTTPRequest.json(method: "POST", "/v1.41/containers/create?name=\(name)", body))
        guard created.status == 201, let id = (try created.jsonObject() as? [String: Any])?["Id"] as? String else {
            throw fixtureUnavailable("cannot create test container: HTTP \(created.status) \(created.text)")
        }
        let started = try http.send(HTTPRequest(method: "POST", "/v1.41/containers/\(id)/start"))
        guard started.status == 204 else { throw NSError(domain: "start \(started.status) \(started.text)", code: 1) }
        return id
    }

    private struct NetworkBody: Encodable {
        struct IPAM: Encodable { var Config: [[String: String]] }
        var Name: String
        var IPAM: IPAM?
        var Labels: [String: String]
    }

    /// Create a bridge network (with `subnet`, or the engine's pick), labelled for cleanup.
    func createNetwork(_ name: String, subnet: String?, label: String) throws {
        _ = try? http.send(HTTPRequest(method: "DELETE", "/v1.41/networks/\(name)"))
        let parts = label.split(separator: "=", maxSplits: 1).map(String.init)
        let body = NetworkBody(Name: name, IPAM: subnet.map { .init(Config: [["Subnet": $0]]) }, Labels: [parts[0]: parts[1]])
        let created = try http.send(try HTTPRequest.json(method: "POST", "/v1.41/networks/create", body))
        guard created.status == 201 else { throw fixtureUnavailable("cannot create test network \(name): HTTP \(created.status) \(created.text)") }
    }

    func removeNetwork(_ name: String) {
        _ = try? http.send(HTTPRequest(method: "DELETE", "/v1.41/networks/\(name)"))
    }

    /// Raw `POST /containers/{id}/update` (someone else changing limits); on Podman its libpod
    /// route (what `podman update --memory` sends), with the body in OCI terms.
    func update(_ id: String, _ body: [String: Int64]) throws {
        let request = kind == .podman
            ? try HTTPRequest.json(method: "POST", "/v4.0.0/libpod/containers/\(id)/update",
                                   ["memory": ["limit": body["Memory"], "swap": body["MemorySwap"]].compactMapValues { $0 }])
            : try HTTPRequest.json(method: "POST", "/v1.41/containers/\(id)/update", body)
        let r = try http.send(request)
        guard r.isSuccess else { throw NSError(domain: "update \(r.status) \(r.text)", code: 1) }
    }

    /// Remove every container carrying `label` (key=value).
    func removeContainers(label: String) {
        let client = DockerClient(host: host)
        for c in (try? client.list(labels: [label], statuses: [], all: true)) ?? [] {
            _ = try? http.send(HTTPRequest(method: "DELETE", "/v1.41/containers/\(c.id)?force=1"))
        }
    }
}
