extension FaultLifecycle {
    /// Refuses kinds no reverter knows (`recover --kind bogus`): filtering on them would
    /// silently match nothing and report "nothing to recover".
    public func checkKinds(_ requested: some Sequence<String>) throws {
        let known = kinds
        for kind in requested where !known.contains(kind) {
            throw ChaosError("unknown fault kind '\(kind)'\(NameSuggestion.hint(for: kind, among: known)); kinds: \(known.joined(separator: ", "))",
                             exitCode: .usage)
        }
    }
}
