import ChaosCore

/// Which load command runs: the first of `load.prefer` whose program is installed (on PATH),
/// else `load.command`. The notes say what was skipped and, when no preferred generator was
/// installed, that the fallback's traffic is not measured unless its `results` are named.
struct LoadCommandChoice {
    let command: String
    let notes: [String]
    /// `load.command` runs (no preferred generator is installed, or none is listed): only
    /// then do `load.results` describe what runs, since they are that command's log.
    let isFallback: Bool

    init(spec: LoadSpec, searchPath: String) {
        var skipped: [String] = []
        for candidate in spec.preferred {
            guard let program = ShellWords.split(candidate)?.first else { continue }
            if ExecutableSearch.locate(program, searchPath: searchPath) != nil {
                command = candidate
                isFallback = false
                notes = skipped.map { "\($0) is not installed (not on PATH), so `\(candidate)` runs instead" }
                return
            }
            skipped.append(program)
        }
        command = spec.command
        isFallback = true
        let installed = "no preferred load generator is installed (\(skipped.joined(separator: ", ")) not on PATH): the fallback command ran"
        notes = skipped.isEmpty ? [] : [
            spec.results == nil ? installed + "; user-traffic SLOs were not measured by a load generator"
                : installed + " and its own per-request log (load.results) is read instead",
        ]
    }
}
