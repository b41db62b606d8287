import ChaosCore
import ChaosStress
import ChaosTestSupport
import Foundation
import XCTest

/// A private container engine for one stress test, started by its script
/// (scripts/docker-engine.sh or podman-engine.sh) with one `chaosctl-web-1` container in a
/// state dir of its own, and stopped (everything it made removed) by `stop()`.
struct StressTestEngine {
    enum Kind { case docker, podman }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let kind: Kind
    let dir: String

    private var script: String { Self.root + "/scripts/" + (kind == .docker ? "docker-engine.sh" : "podman-engine.sh") }
    private var dirVariable: String { kind == .docker ? "CHAOSCTL_DOCKER_DIR" : "CHAOSCTL_PODMAN_DIR" }
    var dockerHost: String { "unix://\(dir)/" + (kind == .docker ? "docker.sock" : "podman.sock") }

    /// Start one; a missing engine or a run as non-root is a fixture failure under CI=true.
    static func start(_ kind: Kind) throws -> StressTestEngine {
        let tools = kind == .docker ? ["/usr/sbin/dockerd", "/usr/bin/docker"]
                                    : ["/usr/bin/podman", "/usr/bin/conmon", "/usr/sbin/runc", "/bin/busybox"]
        for tool in tools where getuid() != 0 || !FileManager.default.isExecutableFile(atPath: tool) {
            throw fixtureUnavailable("needs root and \(tool) (scripts/install-deps.sh)")
        }
        if ProcessInfo.processInfo.environment["CHAOSCTL_SKIP_DOCKER_TESTS"] == "1" { throw fixtureUnavailable("CHAOSCTL_SKIP_DOCKER_TESTS=1") }
        let engine = StressTestEngine(kind: kind, dir: "/tmp/chaosctl-\(kind)-stress-\(getpid())")
        let started = runProcess(["/bin/bash", engine.script, "start", "1"], environment: [engine.dirVariable: engine.dir])
        guard started.status == 0, started.output.contains("ENGINE_READY") else {
            engine.stop()
            throw FixtureFailure(reason: "\(kind) did not start: \(started.output.suffix(500))")
        }
        return engine
    }

    func stop() {
        _ = runProcess(["/bin/bash", script, "stop"], environment: [dirVariable: dir])
    }
}

/// A test case with a fresh state dir, a chaosctl on it and a private engine of `kind` per
/// test; anything a test leaves journaled is recovered before the engine stops.
class StressEngineCase: XCTestCase {
    class var kind: StressTestEngine.Kind { .docker }
    var temp: TempDir!
    var engine: StressTestEngine?
    var cli: Chaosctl!
    var dockerHost: String { engine!.dockerHost }
    var journal: FaultJournal { FaultJournal(directory: temp.path + "/state") }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(stateDir: temp.path + "/state")
        engine = try StressTestEngine.start(Self.kind)
    }

    override func tearDown() {
        _ = try? cli?.run(["recover", "--all"])
        engine?.stop()
        temp = nil
    }

    /// The workers of the first applied stress record, once there is one (up to 60 s).
    func appliedWorkers() -> [StressWorkerID] {
        var workers: [StressWorkerID] = []
        XCTAssertTrue(StressTestWait.until(60) { workers = self.journal.appliedStressWorkers() ?? []; return !workers.isEmpty })
        return workers
    }
}
