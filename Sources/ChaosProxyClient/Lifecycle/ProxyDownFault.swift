import ChaosCore

/// A proxy disabled through the API (its listener and connections closed). Kind
/// "proxy-down": revert enables it again.
public struct ProxyDownFault: PreflightFault {
    public static let kindName = "proxy-down"

    /// The API that disables (and later enables) the proxy.
    public var endpoint: ToxiproxyEndpoint
    /// The proxy to take down.
    public var name: String

    public init(endpoint: ToxiproxyEndpoint, name: String) {
        self.endpoint = endpoint
        self.name = name
    }

    public var kind: String { Self.kindName }
    public var target: String { "proxy \(name) at \(endpoint.api)" }
    public var summary: String { "disabled (listener and connections closed)" }

    /// Records whether the proxy was enabled, so revert does not enable one that was
    /// already down before this fault.
    /// Also records the proxy's listen and upstream addresses as the server reports them, so
    /// revert can tell this proxy from one someone has since deleted and recreated.
    public func revertData() throws -> [String: String] {
        let proxy = try endpoint.client().proxy(name)
        return endpoint.revertData().merging([
            "proxy": name, "was_enabled": proxy.enabled ? "true" : "false",
            "listen": proxy.listen, "upstream": proxy.upstream,
        ]) { $1 }
    }

    /// An unknown proxy fails before anything is journaled.
    public func preflight() throws { _ = try endpoint.client().proxy(name) }

    public func apply() throws { _ = try endpoint.client().setEnabled(name, false) }
}

/// Enables a journaled disabled proxy; a proxy deleted meanwhile counts as reverted. It
/// undoes only its own change: a proxy redefined since (other listen or upstream address)
/// is left alone, and while another proxy-down record in the journal still holds the same
/// proxy down, that record inherits "enable it at the end" and the proxy stays down.
public struct ProxyDownReverter: SingleBodyRevert {
    public var kind: String { ProxyDownFault.kindName }
    public init() {}

    public func revertChecking(_ given: FaultRecord, journal: FaultJournal?) throws -> FaultRevertResult {
        guard let name = given.revertData["proxy"] else { throw ChaosError("record \(given.id) names no proxy") }
        // Another record may have handed this one its "enable at the end" since it was read.
        let record = try journal?.lookup(id: given.id) ?? given
        if record.revertData["was_enabled"] == "false" { return FaultRevertResult() }
        let endpoint = try ToxiproxyEndpoint.from(record)
        let client = try endpoint.client()
        let label = "proxy \(name) at \(endpoint.api)"
        do {
            let current = try client.proxy(name)
            if let listen = record.revertData["listen"], let upstream = record.revertData["upstream"],
               current.listen != listen || current.upstream != upstream {
                return FaultRevertResult(leftAlone: [
                    "\(label): redefined since this fault disabled it (now \(current.listen) → \(current.upstream)); left as it is",
                ])
            }
            if let journal, let later = try Self.handOver(record, journal: journal) {
                return FaultRevertResult(leftAlone: ["\(label): still held down by record \(later); it enables the proxy when it ends"])
            }
            _ = try client.setEnabled(name, true)
        } catch let error as ToxiproxyClientError where error.isNotFound {
            return FaultRevertResult()
        }
        return FaultRevertResult()
    }

    /// Another proxy-down record on the same proxy still holds it down (a later one found
    /// it already down, so its revert would leave it down): give it this record's "was
    /// enabled" and return its id. Two such records reverted at the very same moment by
    /// two processes could each hand over to the other; the journal has no lock spanning
    /// both reverts.
    private static func handOver(_ record: FaultRecord, journal: FaultJournal) throws -> String? {
        let later = journal.records().records.filter {
            $0.kind == ProxyDownFault.kindName && $0.id != record.id
                && $0.revertData["api"] == record.revertData["api"] && $0.revertData["proxy"] == record.revertData["proxy"]
        }
        guard let heir = later.last else { return nil }
        try journal.update(id: heir.id) { $0.revertData["was_enabled"] = "true" }
        return heir.id
    }
}
