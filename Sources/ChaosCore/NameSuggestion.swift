/// "Did you mean …?" for a name that is not one of the known ones (a misspelt field, toxic
/// attribute, flag or fault kind), so a typo is refused with the fix instead of ignored.
public enum NameSuggestion {
    /// The known name closest to `name`, if it is within `maximumDistance` edits; ties go to
    /// the first in sorted order, so the hint is the same on every run.
    public static func closest(to name: String, among known: some Sequence<String>, maximumDistance: Int = 2) -> String? {
        var best: (name: String, distance: Int)?
        for candidate in known.sorted() where candidate != name {
            let distance = editDistance(name, candidate)
            if distance <= maximumDistance, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// " (did you mean 'x'?)", or "" when nothing is close.
    public static func hint(for name: String, among known: some Sequence<String>) -> String {
        closest(to: name, among: known).map { " (did you mean '\($0)'?)" } ?? ""
    }

    /// Levenshtein distance: insertions, deletions and substitutions of one character.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
