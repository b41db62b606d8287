import ChaosCore

/// Keeps the journal in step with explicit removals: after `proxy delete` or `toxic remove`
/// the matching records describe nothing that still exists, so they are dropped rather
/// than left for `recover` to trip over.
public enum ProxyJournalCleanup {
    /// Forgets the records of `proxy` on `api`: with `toxic` only that toxic's records;
    /// without, the proxy's own record, its toxics and any hold that disabled it.
    /// Returns how many records were dropped.
    @discardableResult
    public static func forget(in journal: FaultJournal, api: String, proxy: String, toxic: String? = nil) -> Int {
        let api = ToxiproxyEndpoint.normalize(api)
        let kinds: Set<String> = toxic == nil
            ? [ProxyFault.kindName, ToxicFault.kindName, ProxyDownFault.kindName]
            : [ToxicFault.kindName]
        var dropped = 0
        for record in journal.records().records where kinds.contains(record.kind) {
            guard record.revertData["api"] == api, record.revertData["proxy"] == proxy else { continue }
            if let toxic, record.revertData["toxic"] != toxic { continue }
            if (try? journal.remove(id: record.id)) != nil { dropped += 1 }
        }
        return dropped
    }
}
