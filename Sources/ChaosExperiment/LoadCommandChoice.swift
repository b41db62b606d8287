import ChaosCore

/// Which load command runs: the first of `load.prefer` whose program is installed (on PATH),
/// else `load.command`. The notes say what was skipped and, when no preferred generator was
/// installed, that the fallback's traffic is not measured by a generator chaosctl reads.
struct LoadCommandChoice {
    let command: String
    let notes: [String]

    init(spec: LoadSpec, searchPath: String) {
        var skipped: [String] = []
        for candidate in spec.preferred {
            guard let program = ShellWords.split(candidate)?.first else { continue }
            if ExecutableSearch.locate(program, searchPath: searchPath) != nil {
                command = candidate
                notes = skipped.map { "\($0) is not installed (not on PATH), so `\(candidate)` runs instead" }
                return
            }
            skipped.append(program)
        }
        command = spec.command
        notes = skipped.isEmpty ? [] : [
            "no preferred load generator is installed (\(skipped.joined(separator: ", ")) not on PATH): the fallback " +
                "command ran; user-traffic SLOs were not measured by a load generator",
        ]
    }
}
