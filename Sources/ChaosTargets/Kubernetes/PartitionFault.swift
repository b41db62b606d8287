import ChaosCore
import Foundation

/// A network partition as a NetworkPolicy chaosctl owns: named after the fault's record,
/// labelled `app.kubernetes.io/managed-by=chaosctl` and with the record's id, journaled
/// before it is created. Enforcement is the network plugin's (docs/kubernetes.md).
public struct PartitionFault: FaultJournaledApply, PreflightFault {
    public static let kind = "partition"
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let faultLabel = "chaosctl.io/fault"

    let client: KubeClient
    let connection: KubeConnection
    public let namespace: String
    public let spec: PartitionSpec

    public var kind: String { Self.kind }
    public var target: String {
        "pods " + spec.podLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            + " in namespace \(namespace) via \(client.target.server)"
    }
    public var summary: String { spec.summary }

    /// A policy name is a DNS subdomain; the record id is lowercase base36 and '-'.
    static func policyName(_ recordID: String) -> String { "chaosctl-partition-\(recordID)" }

    /// The selector must match a pod now: a partition of nothing is a typo.
    public func preflight() throws {
        let selector = spec.podLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let pods = try client.listPods(namespace: namespace, labelSelector: selector).pods.filter { !$0.terminating }
        if pods.isEmpty {
            throw ChaosError("no pod matches '\(selector)' in namespace \(namespace); nothing to partition", exitCode: .notFound)
        }
    }

    public func revertData() throws -> [String: String] {
        connection.revertData(server: client.target.server).merging(["namespace": namespace]) { $1 }
    }

    public func apply() throws { try apply(recordID: FaultRecord.newID(), journal: { _ in }) }

    public func apply(recordID: String, journal: ([String: String]) throws -> Void) throws {
        let name = Self.policyName(recordID)
        try journal(try revertData().merging(["policy": name]) { $1 })
        _ = try client.createPolicy(spec.policy(name: name, faultID: recordID), namespace: namespace, dryRun: false)
    }

    /// The same POST with dryRun=All: validated and not stored. Returns the policy sent.
    func dryRun() throws -> String {
        let name = Self.policyName("dry-run")
        _ = try client.createPolicy(spec.policy(name: name, faultID: "dry-run"), namespace: namespace, dryRun: true)
        return name
    }
}

/// Deletes the record's NetworkPolicy: only one of that name that carries this record's
/// id in its labels, by name with its UID as a precondition (so one recreated in between
/// by someone else is never deleted).
public struct PartitionReverter: KubeRecordReverter {
    public let kind = PartitionFault.kind
    public var connect = kubeRecordConnection

    public init() {}

    public func revert(_ record: FaultRecord, client: KubeClient) throws -> FaultRevertResult {
        guard let name = record.revertData["policy"], let namespace = record.revertData["namespace"] else {
            throw ChaosError("partition record \(record.id) has no policy name")
        }
        guard let policy = try client.policy(named: name, namespace: namespace) else { return FaultRevertResult() }
        guard policy.labels[PartitionFault.faultLabel] == record.id else {
            return FaultRevertResult(leftAlone: [
                "NetworkPolicy \(namespace)/\(name) is not this fault's (label \(PartitionFault.faultLabel)); left as it is",
            ])
        }
        switch try client.deletePolicy(named: name, uid: policy.uid, namespace: namespace) {
        case .deleted, .alreadyGone: return FaultRevertResult()
        case .alreadyReplaced:
            return FaultRevertResult(leftAlone: ["NetworkPolicy \(namespace)/\(name) was replaced since; left as it is"])
        }
    }
}
