import ChaosCore

/// Reverts netem and tbf faults from their journal record: removes chaosctl's root qdisc and
/// puts back the one it replaced (from its saved kind, handle and raw options), or leaves
/// the kernel default. Idempotent: a namespace, device or qdisc that is already gone, or a
/// root someone else has since replaced, means there is nothing of ours left to undo.
///
/// Every chaosctl qdisc has the same handle, so the qdisc alone does not say which record
/// installed it. The journal does: a fault is only installed when no chaosctl qdisc is on
/// the device, so if a newer netem/tbf record exists for the same device, this record's
/// qdisc was removed before that one was installed, and the qdisc there now is not ours.
public struct QdiscReverter: OwnershipCheckingReverter {
    public let kind: String

    public init(kind: String) { self.kind = kind }

    /// One reverter per kind this module journals.
    public static var all: [FaultReverter] { [QdiscReverter(kind: "netem"), QdiscReverter(kind: "tbf")] }

    public enum Outcome: Equatable {
        case removed, restored(String), namespaceGone, deviceGone, notOurs
    }

    public func revert(_ record: FaultRecord) throws { _ = try revertReporting(record) }

    public func revert(_ record: FaultRecord, journal: FaultJournal) throws -> FaultRevertResult {
        if let newer = Self.newerRecord(than: record, in: journal) {
            let place = "\(record.revertData["device"] ?? "?") in \(NetTarget(encoded: record.revertData["netns"] ?? "")?.label ?? "?")"
            return FaultRevertResult(leftAlone: [
                "\(place): the chaosctl qdisc there now was installed by record \(newer.id) after this fault's was removed; left as it is",
            ])
        }
        _ = try revertReporting(record)
        return FaultRevertResult()
    }

    /// The newest netem/tbf record for the same device and namespace, if newer than `record`.
    static func newerRecord(than record: FaultRecord, in journal: FaultJournal) -> FaultRecord? {
        let sameDevice = journal.records().records.filter {
            ($0.kind == "netem" || $0.kind == "tbf") && $0.id != record.id
                && $0.revertData["device"] == record.revertData["device"] && $0.revertData["netns"] == record.revertData["netns"]
                && $0.revertData["netnsId"] == record.revertData["netnsId"]
        }
        // Ids start with a millisecond stamp, so (createdAt, id) orders records created within one second.
        return sameDevice.last { ($0.createdAt, $0.id) > (record.createdAt, record.id) }
    }

    /// As `revert`, telling what it did.
    public func revertReporting(_ record: FaultRecord) throws -> Outcome {
        let data = record.revertData
        guard let device = data["device"], let target = NetTarget(encoded: data["netns"] ?? "") else {
            throw ChaosError("fault record \(record.id) has no usable device/netns in its revert data", exitCode: .failure)
        }
        if let journaledId = data["netnsId"] {
            // A deleted namespace took its qdiscs with it; a recreated one is not ours.
            guard let nowId = try? target.identity(), nowId == journaledId else { return .namespaceGone }
        }
        let control: QdiscControl
        do { control = try QdiscControl(target: target, device: device) } catch let e as ChaosError where e.exitCode == .notFound {
            return e.message.contains("device") ? .deviceGone : .namespaceGone
        }
        // Every chaosctl qdisc has handle ca05:, so a different kind there is another,
        // later fault (after a `clear`), which is not this record's to remove.
        guard let root = try control.root(), root.isChaosctl, root.kind == record.kind else { return .notOurs }
        if let prevKind = data["prevKind"], let handleText = data["prevHandle"],
           let handle = QdiscHandle.parse(handleText), let options = Hex.decode(data["prevOptions"] ?? "") {
            let saved = QdiscInfo(ifindex: control.ifindex, handle: handle, parent: QdiscHandle.root,
                                  kind: prevKind, options: options)
            do { try control.restoreRoot(saved) } catch {
                // The impairment must end even if the old qdisc cannot be rebuilt: fall back
                // to the kernel default and report what was lost.
                try control.deleteRoot()
                throw ChaosError("removed chaosctl's qdisc from \(device) in \(target.label), but could not restore the previous root qdisc \(prevKind) \(handleText) (\(error)); the device now has the kernel default",
                                 exitCode: .failure)
            }
            return .restored("\(prevKind) \(handleText)")
        }
        try control.deleteRoot()
        return .removed
    }
}

/// The journaled netem/tbf faults on one device, and ending them (`clear`).
public enum QdiscFaults {
    public static func records(in journal: FaultJournal, target: NetTarget, device: String) -> [FaultRecord] {
        journal.records().records.filter {
            ($0.kind == "netem" || $0.kind == "tbf") && $0.revertData["device"] == device
                && $0.revertData["netns"] == target.encoded
        }
    }

    /// Revert every journaled fault on the device (newest first), then remove a chaosctl
    /// qdisc no record explains (its journal was lost). Returns lines saying what was done.
    public static func clear(journal: FaultJournal, target: NetTarget, device: String) throws -> [String] {
        var done: [String] = []
        for record in records(in: journal, target: target, device: device).reversed() {
            let outcome = try QdiscReverter(kind: record.kind).revertReporting(record)
            try journal.remove(id: record.id)
            done.append("reverted \(record.kind) fault \(record.id) (\(describe(outcome)))")
        }
        let control = try QdiscControl(target: target, device: device)
        if let root = try control.root(), root.isChaosctl {
            try control.deleteRoot()
            done.append("removed unjournaled chaosctl \(root.kind) qdisc \(QdiscHandle.format(root.handle))")
        }
        return done
    }

    public static func describe(_ outcome: QdiscReverter.Outcome) -> String {
        switch outcome {
        case .removed: return "qdisc removed, kernel default back"
        case .restored(let what): return "previous root qdisc \(what) restored"
        case .namespaceGone: return "namespace gone, nothing to undo"
        case .deviceGone: return "device gone, nothing to undo"
        case .notOurs: return "root qdisc is no longer chaosctl's, left alone"
        }
    }
}
