import ChaosCore
import Foundation

/// Pausing a container as a journaled fault: the record is written before the pause, so a
/// pause outlives no chaosctl process unnoticed — expiry, SIGINT/SIGTERM and
/// `chaosctl recover` all unpause it through `ContainerPauseReverter`.
///
/// A revert unpauses only its own pause. Pausing a container that is already paused is
/// refused before anything is journaled (its revert would unpause someone else's pause),
/// and the container's start time and PID are journaled, so a container restarted since
/// (whose pause, if any, is someone else's) is left alone. Docker's inspect does not say
/// when a container was paused, so an unpause and re-pause by someone else in between,
/// without a restart, cannot be told apart.
public struct ContainerPauseFault: PreflightFault {
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
        let state = try engine.inspect(container.id).state
        return ["host": engine.host.description, "id": container.id, "name": container.name,
                "started_at": state.startedAt, "pid": String(state.pid)]
    }

    /// An already paused container is someone else's pause: refuse before journaling.
    public func preflight() throws {
        guard try engine.inspect(container.id).state.paused else { return }
        throw ContainerEngineError(reason: .alreadyPaused, operation: "pause", container: "\(container.name) (\(container.shortID))",
                                   status: 409, engineMessage: "already paused by someone else; left as it is")
    }

    public func apply() throws {
        try engine.pause(container.id)
    }
}

/// Unpauses a container from its journaled record. Idempotent: a container that is no
/// longer paused, stopped, or gone counts as reverted. An unreachable engine is an error,
/// so the record stays for a later `recover`.
public struct ContainerPauseReverter: ContainerRecordReverter {
    public let kind = ContainerPauseFault.kind
    public let connect: @Sendable (DockerHost) -> ContainerEngine

    public init(connect: @escaping @Sendable (DockerHost) -> ContainerEngine = journaledEngine) {
        self.connect = connect
    }

    public func revert(_ record: FaultRecord, engine: ContainerEngine) throws -> FaultRevertResult {
        guard let id = record.revertData["id"], !id.isEmpty else {
            throw ChaosError("container-pause record \(record.id) has no container id")
        }
        do {
            // Records from before start times were journaled are unpaused as they always were.
            if let startedAt = record.revertData["started_at"] {
                let state = try engine.inspect(id).state
                guard state.paused else { return FaultRevertResult() }
                if state.startedAt != startedAt || record.revertData["pid"].map({ $0 != String(state.pid) }) == true {
                    let name = record.revertData["name"] ?? id
                    return FaultRevertResult(leftAlone: [
                        "container \(name): restarted since this fault paused it, so its pause is someone else's; left paused",
                    ])
                }
            }
            try engine.unpause(id)
        } catch let e as ContainerEngineError where [.notPaused, .notFound, .notRunning].contains(e.reason) {
            return FaultRevertResult()
        }
        return FaultRevertResult()
    }
}
