import Foundation

/// The run's report folder as `CHAOSCTL_REPORT_DIR` (absolute), set before the experiment
/// file is read: `${CHAOSCTL_REPORT_DIR}` in the file (a `load.results` log) and the load
/// command it starts both see the same folder, wherever the command runs.
enum ReportDirectoryEnvironment {
    static let name = "CHAOSCTL_REPORT_DIR"

    /// Exports `directory`, made absolute against the working directory, and returns it.
    @discardableResult
    static func export(_ directory: String) -> String {
        let absolute = directory.hasPrefix("/") ? directory
            : FileManager.default.currentDirectoryPath + "/" + directory
        setenv(name, absolute, 1)
        return absolute
    }
}
