import ChaosCore

/// Reverts a port block from its journal record: deletes the record's table, and only if
/// it is still the one the record made (same namespace, same name, the record's marker in
/// its comment). Idempotent: a namespace or table already gone means nothing is left to undo.
public struct PortBlockReverter: OwnershipCheckingReverter {
    public init() {}

    public var kind: String { "block" }

    public enum Outcome: Equatable {
        case removed, namespaceGone, tableGone
        /// A table of that name is there, but its comment is not this record's.
        case notOurs
    }

    public func revert(_ record: FaultRecord) throws { _ = try revertReporting(record) }

    public func revert(_ record: FaultRecord, journal: FaultJournal) throws -> FaultRevertResult {
        guard try revertReporting(record) == .notOurs else { return FaultRevertResult() }
        let data = record.revertData
        return FaultRevertResult(leftAlone: [
            "table \(data["table"] ?? "?") in \(NetTarget(encoded: data["netns"] ?? "")?.label ?? "?"): not the one this fault made (its comment differs); left as it is",
        ])
    }

    public func revertReporting(_ record: FaultRecord) throws -> Outcome {
        let data = record.revertData
        guard let target = NetTarget(encoded: data["netns"] ?? ""), let name = data["table"], let comment = data["comment"],
              name.hasPrefix(PortBlockTable.namePrefix) else {
            throw ChaosError("fault record \(record.id) has no usable netns/table/comment in its revert data", exitCode: .failure)
        }
        if let journaledId = data["netnsId"] {
            // A deleted namespace took its tables with it; a recreated one is not ours.
            guard let nowId = try? target.identity(), nowId == journaledId else { return .namespaceGone }
        }
        let control: PortBlockControl
        do { control = try PortBlockControl(target: target) } catch let e as ChaosError where e.exitCode == .notFound {
            return .namespaceGone
        }
        guard let live = try control.lookup(name) else { return .tableGone }
        guard live.userdata == PortBlockTable.userdata(comment: comment) else { return .notOurs }
        return try control.delete(name: name, handle: live.handle) ? .removed : .tableGone
    }
}
