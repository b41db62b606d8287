import Foundation
import ChaosCore

/// Writes the four report files of a run into a results folder (created if needed). Each
/// file is replaced atomically, so a reader never sees half a report. `run` and `probe`
/// both go through ``prepare(_:)`` before they start and ``write(_:to:chart:)`` at the end,
/// so a folder that cannot take the reports is refused before anything is probed or injected.
public enum ReportWriter {
    public static let files = ["journal.json", "report.md", "junit.xml", "report.html"]

    /// Create the results folder and check it can be written to, naming the folder in any
    /// error: a missing permission exits 10, any other unusable path (a file in the way) 2.
    public static func prepare(_ folder: String) throws {
        let what = "--report-dir: results folder '\(folder)'"
        do {
            try AtomicFile.ensureDirectory(folder)
        } catch let failure as ChaosFailure {
            throw ChaosError("\(what): \(failure.description)", exitCode: failure.exitCode == .permission ? .permission : .usage)
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw ChaosError("\(what): cannot write into it: \(String(cString: strerror(errno)))", exitCode: .permission)
        }
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
