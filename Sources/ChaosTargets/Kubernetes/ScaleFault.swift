import ChaosCore
import Foundation

/// Setting a Deployment's or StatefulSet's replica count through its scale subresource, as
/// a journaled fault. The previous count and the count set are journaled before the PUT,
/// and the PUT carries the resourceVersion read just before, so a change in between is a
/// 409 rather than overwritten.
public struct ScaleFault: FaultJournaledApply, PreflightFault {
    public static let kind = "scale"

    let client: KubeClient
    let connection: KubeConnection
    public let workload: KubeWorkloadRef
    public let namespace: String
    public let replicas: Int

    public var kind: String { Self.kind }
    public var target: String { "\(workload) in namespace \(namespace) via \(client.target.server)" }
    public var summary: String { "replicas set to \(replicas)" }

    public func preflight() throws { _ = try current() }

    /// The scale as it is now; the workload must exist and not already be at `replicas`.
    func current() throws -> KubeScale {
        guard let scale = try client.scale(of: workload, namespace: namespace) else {
            throw ChaosError("\(workload) not found in namespace \(namespace)", exitCode: .notFound)
        }
        if scale.replicas == replicas {
            throw ChaosError("\(workload) already has \(replicas) replica(s); nothing to change", exitCode: .usage)
        }
        return scale
    }

    public func revertData() throws -> [String: String] {
        connection.revertData(server: client.target.server).merging([
            "kind": workload.kind.rawValue, "name": workload.name, "namespace": namespace, "replicas_set": String(replicas),
        ]) { $1 }
    }

    public func apply() throws { try apply(recordID: "", journal: { _ in }) }

    public func apply(recordID: String, journal: ([String: String]) throws -> Void) throws {
        let scale = try current()
        try journal(try revertData().merging(["previous_replicas": String(scale.replicas), "uid": scale.uid]) { $1 })
        switch try client.setScale(of: workload, namespace: namespace, replicas: replicas, current: scale, dryRun: false) {
        case .scaled: return
        case .changedSince: throw ChaosError("\(workload) changed while it was being scaled; not scaled", exitCode: .conflict)
        case .gone: throw ChaosError("\(workload) disappeared while it was being scaled", exitCode: .notFound)
        }
    }

    /// The same PUT with dryRun=All: the server validates it and stores nothing. Returns
    /// the current count.
    func dryRun() throws -> Int {
        let scale = try current()
        if case .changedSince = try client.setScale(of: workload, namespace: namespace, replicas: replicas, current: scale,
                                                     dryRun: true) {
            throw ChaosError("\(workload) changed while it was read", exitCode: .conflict)
        }
        return scale.replicas
    }
}

/// Restores the previous replica count from the journaled record, only while the count is
/// still the one the fault set (and the workload the same object): someone who rescaled it
/// since, or an autoscaler, has the last word.
public struct ScaleReverter: KubeRecordReverter {
    public let kind = ScaleFault.kind
    public var connect = kubeRecordConnection

    public init() {}

    public func revert(_ record: FaultRecord, client: KubeClient) throws -> FaultRevertResult {
        let data = record.revertData
        guard let kindText = data["kind"], let kind = KubeWorkloadRef.Kind(rawValue: kindText), let name = data["name"],
              let namespace = data["namespace"], let set = data["replicas_set"].flatMap(Int.init) else {
            throw ChaosError("scale record \(record.id) is incomplete")
        }
        // Journaled before the PUT: without the previous count nothing was changed.
        guard let previous = data["previous_replicas"].flatMap(Int.init) else { return FaultRevertResult() }
        let ref = KubeWorkloadRef(kind: kind, name: name)
        guard let scale = try client.scale(of: ref, namespace: namespace) else { return FaultRevertResult() }
        let label = "\(ref) in namespace \(namespace)"
        if let uid = data["uid"], !uid.isEmpty, !scale.uid.isEmpty, uid != scale.uid {
            return FaultRevertResult(leftAlone: ["\(label): recreated since this fault scaled it; left as it is"])
        }
        guard scale.replicas == set else {
            // A PUT that never landed leaves the count where it was: nothing to undo.
            if record.state == .applying && scale.replicas == previous { return FaultRevertResult() }
            return FaultRevertResult(leftAlone: [
                "\(label): now \(scale.replicas) replica(s), not the \(set) this fault set; someone (or an autoscaler) changed it since; left as it is",
            ])
        }
        switch try client.setScale(of: ref, namespace: namespace, replicas: previous, current: scale, dryRun: false) {
        case .scaled, .gone: return FaultRevertResult()
        case .changedSince:
            return FaultRevertResult(leftAlone: ["\(label): changed while being scaled back; left as it is"])
        }
    }
}
