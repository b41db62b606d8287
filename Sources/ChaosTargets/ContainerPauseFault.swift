import ChaosCore
import Foundation

/// Pausing a container as a journaled fault: the record is written before the pause, so a
/// pause outlives no chaosctl process unnoticed — expiry, SIGINT/SIGTERM and
/// `chaosctl recover` all unpause it through `ContainerPauseReverter`.
public struct ContainerPauseFault: Fault {
    public static let kind = "container-pause"

    public let engine: ContainerEngine
    public let container: ContainerSummary
    public let duration: Double?

    public init(engine: ContainerEngine, container: ContainerSummary, duration: Double?) {
        self.engine = engine
        self.container = container
        self.duration = duration
    }

    public var kind: String { Self.kind }
    public var target: String { "container \(container.name) (\(container.shortID)) on \(engine.host)" }
    public var summary: String { duration.map { "paused for \(DurationParser.format($0))" } ?? "paused until interrupted" }

    public func revertData() throws -> [String: String] {
        ["host": engine.host.description, "id": container.id, "name": container.name]
    }

    public func apply() throws {
        try engine.pause(container.id)
    }
}

/// Unpauses a container from its journaled record. Idempotent: a container that is no
/// longer paused, stopped, or gone counts as reverted. An unreachable engine is an error,
/// so the record stays for a later `recover`.
public struct ContainerPauseReverter: FaultReverter {
    public let kind = ContainerPauseFault.kind
    private let connect: @Sendable (DockerHost) -> ContainerEngine

    /// - Parameter connect: builds the engine client for the journaled host (tests and
    ///   callers with their own clients pass one; the default talks to the host recorded).
    public init(connect: @escaping @Sendable (DockerHost) -> ContainerEngine = { DockerClient(host: $0, timeout: 30) }) {
        self.connect = connect
    }

    public func revert(_ record: FaultRecord) throws {
        guard let id = record.revertData["id"], !id.isEmpty else {
            throw ChaosError("container-pause record \(record.id) has no container id")
        }
        let engine = connect(try DockerHost(record.revertData["host"]))
        do {
            try engine.unpause(id)
        } catch let e as ContainerEngineError where [.notPaused, .notFound, .notRunning].contains(e.reason) {
            return
        }
    }
}
