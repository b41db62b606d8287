import ChaosCore

enum ReportDirectory {
    /// Creates the report directory before anything runs, so a bad path is refused as the
    /// bad value it is (exit 2, or 10 for a missing permission) instead of failing at the
    /// end, after the faults, with an I/O error that reads like a failed run.
    static func prepare(_ directory: String, option: String?) throws {
        let what = option.map { "\($0) \(directory)" } ?? "report directory \(directory)"
        do {
            try AtomicFile.ensureDirectory(directory)
        } catch let failure as ChaosFailure {
            throw ChaosError("\(what): \(failure.description)", exitCode: failure.exitCode == .permission ? .permission : .usage)
        }
    }
}
