import ChaosLoad
import Foundation

/// journal.json: the whole ``RunReport`` (every sample, step, event and verdict) as JSON, so
/// other tools can recompute anything. Dates are ISO 8601; keys are sorted for stable diffs.
public enum JournalWriter {
    public static func encode(_ report: RunReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        // NaN/Inf cannot be written as JSON numbers.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return try encoder.encode(JournalFile(report: report))
    }

    /// Read a journal written by ``encode(_:)``.
    public static func decode(_ data: Data) throws -> RunReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+Inf", negativeInfinity: "-Inf", nan: "NaN")
        return try decoder.decode(JournalFile.self, from: data).report
    }

    /// The file's top level carries a format version so later readers can tell layouts apart.
    struct JournalFile: Codable {
        var format = "chaosctl-journal/1"
        var passed: Bool
        /// The same verdict the reports state and the CLI exits with.
        var verdict: RunVerdict?
        /// The run's seed, at the top so it is easy to find and replay.
        var seed: UInt64?
        /// What the load generator measured, by phase (docs/load-results.md).
        var load: LoadSummary?
        var report: RunReport

        init(report: RunReport) {
            self.passed = report.passed
            self.verdict = report.verdict
            self.seed = report.seed
            self.load = report.loadResults
            self.report = report
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            format = try c.decode(String.self, forKey: .format)
            passed = try c.decode(Bool.self, forKey: .passed)
            verdict = try c.decodeIfPresent(RunVerdict.self, forKey: .verdict)
            seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
            load = try c.decodeIfPresent(LoadSummary.self, forKey: .load)
            report = try c.decode(RunReport.self, forKey: .report)
            report.loadResults = load
        }
    }
}
