import ChaosCore

/// A reverter of one container fault kind: it talks to the engine named in the record
/// (`revertData["host"]`), so `chaosctl recover` reaches the same engine the fault did.
/// Conformers write only `revert(_:engine:)`.
public protocol ContainerRecordReverter: SingleBodyRevert {
    /// Builds the engine client for a journaled host (tests pass their own).
    var connect: @Sendable (DockerHost) -> ContainerEngine { get }
    func revert(_ record: FaultRecord, engine: ContainerEngine) throws -> FaultRevertResult
}

extension ContainerRecordReverter {
    /// The record alone decides (the engine is asked afresh), so the journal is not read.
    public func revertChecking(_ record: FaultRecord, journal: FaultJournal?) throws -> FaultRevertResult {
        try revert(record, engine: connect(try DockerHost(record.revertData["host"])))
    }
}

/// The default `connect`: a client for the journaled host with a 30 s request timeout.
public let journaledEngine: @Sendable (DockerHost) -> ContainerEngine = { DockerClient(host: $0, timeout: 30) }
