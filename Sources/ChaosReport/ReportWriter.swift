import Foundation
import ChaosCore

/// Writes the four report files of a run into a results folder (created if needed). Each
/// file is replaced atomically, so a reader never sees half a report. `run` and `probe`
/// both go through ``prepare(_:)`` before they start and ``write(_:to:chart:)`` at the end,
/// so a folder that cannot take the reports is refused before anything is probed or injected.
public enum ReportWriter {
    public static let files = ["journal.json", "report.md", "junit.xml", "report.html"]

    /// Create the results folder and check it can be written to. Errors name the folder and
    /// what is in the way: a path that is not writable exits 10, any other unusable path (a
    /// file where a folder should be) exits 2.
    public static func prepare(_ folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw obstacle(to: folder, error)
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw ChaosError("--report-dir: cannot write into results folder '\(folder)': \(String(cString: strerror(errno)))",
                             exitCode: .permission)
        }
    }

    /// Why `folder` could not be created, found from the deepest part of it that exists
    /// (Foundation's own error does not say which part was in the way).
    private static func obstacle(to folder: String, _ error: Error) -> ChaosError {
        var existing = folder
        while !FileManager.default.fileExists(atPath: existing) {
            let parent = (existing as NSString).deletingLastPathComponent
            if parent.isEmpty || parent == existing { break }
            existing = parent
        }
        let prefix = "--report-dir: cannot create results folder '\(folder)'"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: existing, isDirectory: &isDirectory), !isDirectory.boolValue {
            return ChaosError("\(prefix): '\(existing)' is not a directory", exitCode: .usage)
        }
        if access(existing, W_OK) != 0 {
            return ChaosError("\(prefix): '\(existing)' is not writable", exitCode: .permission)
        }
        return ChaosError("\(prefix): \(error.localizedDescription)", exitCode: .usage)
    }

    /// Returns the paths written, in the order of ``files``.
    @discardableResult
    public static func write(_ report: RunReport, to folder: String, chart: TimelineChart = TimelineChart()) throws -> [String] {
        try prepare(folder)
        let contents: [Data] = [
            try JournalWriter.encode(report),
            Data(MarkdownReport.render(report).utf8),
            Data(JUnitReport.render(report).utf8),
            Data(HTMLReport.render(report, chart: chart).utf8),
        ]
        var written: [String] = []
        for (name, data) in zip(files, contents) {
            let path = (folder as NSString).appendingPathComponent(name)
            try AtomicFile.write(data, to: path)
            written.append(path)
        }
        return written
    }
}
