/// How strongly a service should react when a flag fires (`"severity"` in the control file).
public enum FlagSeverity: String, CaseIterable, Sendable {
    /// A partial or recoverable fault (e.g. a short rate-limit spike).
    case soft
    /// A full fault (e.g. reject every request).
    case hard
}
