/// A fault's kind and target as one phrase. Targets start with their kind ("flag slow-db in
/// …", "proxy db at …"), so "\(kind) \(target)" would read "flag flag slow-db": the kind
/// word is said once.
public enum FaultText {
    /// The target without a leading kind word (or its plural, "flags a, b in …").
    public static func target(kind: String, target: String) -> String {
        for prefix in [kind + " ", kind + "s "] where target.hasPrefix(prefix) { return String(target.dropFirst(prefix.count)) }
        return target
    }

    /// "flag slow-db in /run/control.json", "toxic proxy db at http://…".
    public static func what(kind: String, target: String) -> String {
        "\(kind) \(self.target(kind: kind, target: target))"
    }
}
