import ChaosReport

/// The verdict as `run` and `demo run` print it: the report's own verdict line, then one
/// line per check ("not measured" apart from pass and FAIL), then how the load ended.
enum VerdictLines {
    static func print(_ report: RunReport) {
        Swift.print("\n\(report.verdict.text)  [\(report.title)]")
        for verdict in report.analysis.verdicts {
            if let why = verdict.notMeasured { Swift.print("  [not measured] \(why)"); continue }
            Swift.print("  [\(verdict.passed ? "pass" : "FAIL")] \(verdict.detail)")
        }
        if let load = report.load {
            Swift.print("  load: \(load.command) → \(load.ending)")
        }
    }
}
