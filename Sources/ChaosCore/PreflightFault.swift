/// A fault that can tell, before anything is journaled, that applying would fail for a
/// reason its reverter must not "undo" — e.g. a proxy name already taken by someone else,
/// which a revert would delete. `FaultLifecycle.apply` runs `preflight()` first and journals
/// nothing when it throws.
public protocol PreflightFault: Fault {
    func preflight() throws
}
