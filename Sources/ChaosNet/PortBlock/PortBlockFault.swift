import ChaosCore

/// A port blocked in a network namespace with an nftables table of chaosctl's own.
///
/// Revert data keys: netns (NetTarget.encoded), netnsId (dev:inode of the nsfs file, absent
/// for the current netns), table (its name), comment (the marker in its userdata), and the
/// spec (port, direction, protocol, verdict) for `status` and reports.
public struct PortBlockFault: FaultJournaledApply {
    public let spec: PortBlockSpec
    public let netTarget: NetTarget

    /// Names the table when the fault is applied without a record (`revertData()` then
    /// `apply()`); `FaultLifecycle` uses the record's id instead.
    private let standaloneID = FaultRecord.newID()

    public init(_ spec: PortBlockSpec, in target: NetTarget) {
        self.spec = spec
        self.netTarget = target
    }

    public var kind: String { "block" }
    public var target: String { netTarget.label }
    public var summary: String { spec.summary }

    public func revertData() throws -> [String: String] { try revertData(recordID: standaloneID) }

    public func apply() throws { try apply(recordID: standaloneID) { _ in } }

    /// The revert data for the record `recordID`: the table's name and marker derive from it.
    public func revertData(recordID: String) throws -> [String: String] {
        var data = ["netns": netTarget.encoded, "table": PortBlockTable(recordID: recordID, spec: spec).name,
                    "comment": PortBlockTable.comment(recordID: recordID), "port": String(spec.port),
                    "direction": spec.direction.rawValue, "protocol": spec.transport.rawValue, "verdict": spec.verdict.rawValue]
        if let id = try netTarget.identity() { data["netnsId"] = id }
        return data
    }

    /// Asks the namespace's nf_tables for the table first, so a missing namespace, nf_tables
    /// or CAP_NET_ADMIN (every nf_tables request needs it) is refused before anything is
    /// journaled; then journals, then adds the table in one transaction.
    public func apply(recordID: String, journal: ([String: String]) throws -> Void) throws {
        let control = try PortBlockControl(target: netTarget)
        let table = PortBlockTable(recordID: recordID, spec: spec)
        if try control.lookup(table.name) != nil {
            throw ChaosError("\(netTarget.label) already has an nftables table \(table.name)", exitCode: .conflict)
        }
        let data = try revertData(recordID: recordID)
        try journal(data)
        try control.create(table, comment: data["comment"]!)
    }

    /// What applying would add, as nft lists it (for --dry-run; the name is an example id).
    public func plan(recordID: String = "ID") -> String {
        PortBlockTable(recordID: recordID, spec: spec).listing(comment: PortBlockTable.comment(recordID: recordID))
    }
}
