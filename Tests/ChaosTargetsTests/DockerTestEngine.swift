import ChaosHTTP
import ChaosTargets
import Foundation
import XCTest

/// The real dockerd the integration tests talk to. Either CI (or a developer) started one
/// and exported CHAOSCTL_TEST_DOCKER_HOST, or the suite starts its own with
/// scripts/docker-engine.sh in a private state dir and stops it when the class finishes.
final class DockerTestEngine {
    static let image = "chaosctl-target:latest"

    let host: DockerHost
    let http: HTTPClient
    private let ownedStateDir: String?

    private init(host: DockerHost, ownedStateDir: String?) {
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
    /// neither is possible, so the tests skip instead of failing.
    static func acquire() -> (DockerTestEngine?, String) {
        let env = ProcessInfo.processInfo.environment
        if let given = env["CHAOSCTL_TEST_DOCKER_HOST"], !given.isEmpty {
            guard let host = try? DockerHost(given) else { return (nil, "CHAOSCTL_TEST_DOCKER_HOST=\(given) is not a valid host") }
            return (DockerTestEngine(host: host, ownedStateDir: nil), "")
        }
        if env["CHAOSCTL_SKIP_DOCKER_TESTS"] == "1" { return (nil, "CHAOSCTL_SKIP_DOCKER_TESTS=1") }
        guard getuid() == 0 else { return (nil, "not root: a private dockerd needs root") }
        for tool in ["/usr/sbin/dockerd", "/usr/bin/docker", "/bin/busybox"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return (nil, "\(tool) missing: install docker.io and busybox-static (scripts/install-deps.sh)")
        }
        let dir = "/tmp/chaosctl-docker-test-\(getpid())"
        let (status, output) = run(["/bin/bash", repositoryRoot + "/scripts/docker-engine.sh", "start", "0"],
                                   environment: ["CHAOSCTL_DOCKER_DIR": dir])
        guard status == 0, output.contains("ENGINE_READY") else {
            _ = run(["/bin/bash", repositoryRoot + "/scripts/docker-engine.sh", "stop"], environment: ["CHAOSCTL_DOCKER_DIR": dir])
            return (nil, "scripts/docker-engine.sh start failed: \(output.suffix(600))")
        }
        return (DockerTestEngine(host: DockerHost(endpoint: .unix(path: dir + "/docker.sock")), ownedStateDir: dir), "")
    }

    /// Stop the engine if this suite started it (containers, dockerd by PID, state dir).
    func release() {
        guard let dir = ownedStateDir else { return }
        _ = Self.run(["/bin/bash", Self.repositoryRoot + "/scripts/docker-engine.sh", "stop"], environment: ["CHAOSCTL_DOCKER_DIR": dir])
    }

    @discardableResult
    static func run(_ argv: [String], environment: [String: String] = [:]) -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0])
        p.arguments = Array(argv.dropFirst())
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // MARK: test containers (made through the raw API: chaosctl itself never creates any)

    private struct CreateBody: Encodable {
        struct HostConfig: Encodable {
            struct Policy: Encodable { var Name: String }
            var NetworkMode = "none"
            var RestartPolicy: Policy
        }
        var Image: String
        var Labels: [String: String]
        var HostConfig: HostConfig
    }

    /// Create and start a container; returns its ID.
    @discardableResult
    func startContainer(name: String, labels: [String: String], restart: String = "no") throws -> String {
        _ = try? http.send(HTTPRequest(method: "DELETE", "/v1.41/containers/\(name)?force=1"))
        let body = CreateBody(Image: Self.image, Labels: labels, HostConfig: .init(RestartPolicy: .init(Name: restart)))
        let created = try http.send(try HTTPRequest.json(method: "POST", "/v1.41/containers/create?name=\(name)", body))
        guard created.status == 201, let id = (try created.jsonObject() as? [String: Any])?["Id"] as? String else {
            throw XCTSkip("cannot create test container: HTTP \(created.status) \(created.text)")
        }
        let started = try http.send(HTTPRequest(method: "POST", "/v1.41/containers/\(id)/start"))
        guard started.status == 204 else { throw NSError(domain: "start \(started.status) \(started.text)", code: 1) }
        return id
    }

    /// Remove every container carrying `label` (key=value).
    func removeContainers(label: String) {
        let client = DockerClient(host: host)
        for c in (try? client.list(labels: [label], statuses: [], all: true)) ?? [] {
            _ = try? http.send(HTTPRequest(method: "DELETE", "/v1.41/containers/\(c.id)?force=1"))
        }
    }
}
