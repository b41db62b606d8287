import ChaosCore

/// A reverter of a Kubernetes fault: it reaches the cluster its record names (or the one a
/// test gives) and undoes the fault there, checking it is still the fault's own change.
public protocol KubeRecordReverter: OwnershipCheckingReverter {
    /// The client for a record's cluster (`KubeConnection.client(for:)` unless a test gives one).
    var connect: @Sendable (FaultRecord) throws -> KubeClient { get }
    func revert(_ record: FaultRecord, client: KubeClient) throws -> FaultRevertResult
}

extension KubeRecordReverter {
    public func revert(_ record: FaultRecord) throws { _ = try revert(record, client: try connect(record)) }

    public func revert(_ record: FaultRecord, journal: FaultJournal) throws -> FaultRevertResult {
        try revert(record, client: try connect(record))
    }
}

/// The default way a reverter reaches its record's cluster.
public let kubeRecordConnection: @Sendable (FaultRecord) throws -> KubeClient = { try KubeConnection.client(for: $0) }
