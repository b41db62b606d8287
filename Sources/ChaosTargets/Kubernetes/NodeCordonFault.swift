import ChaosCore
import Foundation

/// Cordoning a node (`spec.unschedulable: true`) as a journaled fault. The PATCH also sets
/// an annotation holding the record's id, and carries the resourceVersion read just before,
/// so the revert can tell its own cordon from anyone else's. A node that is already
/// cordoned is refused before anything is journaled: uncordoning it later would undo
/// someone else's cordon. With `taint`, the same PATCH adds a NoExecute taint whose value
/// is the record's id; the revert removes that taint only, whoever added others since.
public struct NodeCordonFault: FaultJournaledApply, PreflightFault {
    public static let kind = "node-cordon"
    /// Holds the id of the record whose cordon this is.
    public static let annotation = "chaosctl.io/cordoned-by"
    /// chaosctl's own taint key; a preempted cloud node carries a provider's key instead.
    public static let taintKey = "chaosctl.io/preempted"

    let client: KubeClient
    let connection: KubeConnection
    public let node: String
    public var taint = false

    init(client: KubeClient, connection: KubeConnection, node: String, taint: Bool = false) {
        self.client = client
        self.connection = connection
        self.node = node
        self.taint = taint
    }

    public var kind: String { Self.kind }
    public var target: String { "node \(node) via \(client.target.server)" }
    public var summary: String {
        taint ? "cordoned (spec.unschedulable) and tainted \(Self.taintKey):NoExecute" : "cordoned (spec.unschedulable)"
    }

    /// The node's taints with this fault's added (value: the record's id).
    func taints(of node: KubeNode, recordID: String) -> [KubeTaint]? {
        taint ? node.taints + [KubeTaint(key: Self.taintKey, value: recordID, effect: "NoExecute")] : nil
    }

    public func preflight() throws { _ = try cordonable() }

    /// The node as it is now, if it exists and nobody cordoned it yet.
    func cordonable() throws -> KubeNode {
        guard let current = try client.node(node) else {
            throw ChaosError("node \(node) not found on \(client.target.server)", exitCode: .notFound)
        }
        if current.unschedulable {
            throw ChaosError("node \(node) is already cordoned (by someone else); left as it is", exitCode: .conflict)
        }
        if taint, let other = current.taints.first(where: { $0.key == Self.taintKey && $0.effect == "NoExecute" }) {
            throw ChaosError("node \(node) already has the taint \(Self.taintKey)=\(other.value ?? ""):NoExecute; left as it is",
                             exitCode: .conflict)
        }
        return current
    }

    public func revertData() throws -> [String: String] {
        connection.revertData(server: client.target.server).merging(["node": node]) { $1 }
    }

    public func apply() throws { try apply(recordID: "", journal: { _ in }) }

    public func apply(recordID: String, journal: ([String: String]) throws -> Void) throws {
        let current = try cordonable()
        try journal(try revertData().merging(["uid": current.uid]) { $1 })
        switch try client.patchCordon(current, cordon: .set(by: recordID), annotation: Self.annotation,
                                      taints: taints(of: current, recordID: recordID), dryRun: false) {
        case .patched: return
        case .changedSince: throw ChaosError("node \(node) changed while it was being cordoned; not cordoned", exitCode: .conflict)
        case .gone: throw ChaosError("node \(node) disappeared while it was being cordoned", exitCode: .notFound)
        }
    }

    /// The server's answer to the same PATCH with dryRun=All: nothing changes.
    func dryRun() throws {
        let current = try cordonable()
        if case .changedSince = try client.patchCordon(current, cordon: .set(by: "dry-run"), annotation: Self.annotation,
                                                       taints: taints(of: current, recordID: "dry-run"), dryRun: true) {
            throw ChaosError("node \(node) changed while it was read", exitCode: .conflict)
        }
    }
}

/// Uncordons a node from its journaled record, only while the cordon is still this
/// record's: the node has the same uid, is unschedulable and carries the annotation with
/// this record's id. Otherwise the cordon is left as it is and the result says why. A
/// NoExecute taint with chaosctl's key and this record's id as value is removed either
/// way (it is this fault's own); every other taint stays.
public struct NodeCordonReverter: KubeRecordReverter {
    public let kind = NodeCordonFault.kind
    public var connect = kubeRecordConnection

    public init() {}

    public func revert(_ record: FaultRecord, client: KubeClient) throws -> FaultRevertResult {
        guard let name = record.revertData["node"] else { throw ChaosError("node-cordon record \(record.id) has no node") }
        // One retry: a 409 means the node changed between the GET and the PATCH.
        for _ in 0..<2 {
            guard let node = try client.node(name) else { return FaultRevertResult() }
            if let uid = record.revertData["uid"], uid != node.uid {
                return FaultRevertResult(leftAlone: ["node \(name): recreated since this fault cordoned it; left as it is"])
            }
            let own = { (t: KubeTaint) in t.key == NodeCordonFault.taintKey && t.value == record.id && t.effect == "NoExecute" }
            let ownTaint = node.taints.contains(where: own)
            var leftAlone: [String] = []
            let ownCordon = node.annotations[NodeCordonFault.annotation] == record.id
            if !ownCordon {
                // A half-applied record (the PATCH never landed) is not cordoned by us: nothing to say.
                let neverApplied = record.state == .applying && node.annotations[NodeCordonFault.annotation] == nil && !node.unschedulable
                if !neverApplied {
                    leftAlone.append("node \(name): its cordon is no longer this fault's (annotation \(NodeCordonFault.annotation) changed); left as it is")
                }
                if !ownTaint { return FaultRevertResult(leftAlone: leftAlone) }
            }
            switch try client.patchCordon(node, cordon: ownCordon ? .clear : .keep, annotation: NodeCordonFault.annotation,
                                          taints: ownTaint ? node.taints.filter { !own($0) } : nil, dryRun: false) {
            case .patched, .gone: return FaultRevertResult(leftAlone: leftAlone)
            case .changedSince: continue
            }
        }
        return FaultRevertResult(leftAlone: ["node \(name): kept changing while being uncordoned; left as it is"])
    }
}
