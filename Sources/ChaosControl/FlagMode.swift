/// How a service should fail when a flag fires (`"mode"` in the control file).
public enum FlagMode: String, CaseIterable, Sendable {
    /// Return an error to the caller.
    case fail
    /// Degrade gracefully: serve a fallback (cached, default) answer.
    case fallback
}
