/// A fault that captures its prior state, journals it and applies it within one lock of its
/// own (e.g. the control file's writers' lock), so no other writer can slip in between what
/// the journal says was there and what the fault replaces.
///
/// `FaultLifecycle.apply` calls this instead of `revertData()` + `apply()`. The fault must
/// call `journal` exactly once, after capturing the prior state and before changing
/// anything; if `journal` throws it must change nothing. `recordID` is the record's id,
/// which the fault may stamp on what it writes so a revert can tell its own write apart.
public protocol FaultJournaledApply: Fault {
    func apply(recordID: String, journal: ([String: String]) throws -> Void) throws
}
