import Foundation
import ChaosCore

/// Writes the four report files of a run into a results folder (created if needed). Each
/// file is replaced atomically, so a reader never sees half a report.
public enum ReportWriter {
    public static let files = ["journal.json", "report.md", "junit.xml", "report.html"]

    /// Returns the paths written, in the order of ``files``.
    @discardableResult
    public static func write(_ report: RunReport, to folder: String, chart: TimelineChart = TimelineChart()) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ChaosError("cannot create results folder \(folder): \(error.localizedDescription)", exitCode: .permission)
        }
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
