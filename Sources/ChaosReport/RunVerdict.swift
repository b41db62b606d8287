/// The verdict of a whole run, the one every report shows and the CLI exits with. It is
/// derived from the checks, and never from an absence of them: a run with nothing checked,
/// or with a check that could not be measured, has not passed.
public struct RunVerdict: Codable, Sendable, Equatable {
    public enum Result: String, Codable, Sendable {
        case passed
        /// A check was measured and missed its limit, the load command failed, or a step
        /// (a rollback, a revert) failed.
        case failed
        /// Nothing failed, but some check had no data (or there was no check at all).
        case notMeasured = "not measured"
        /// Stopped early (signal, stop condition, failed step, steady state not met).
        case aborted
    }

    public var result: Result
    /// Why it did not pass; nil when it passed.
    public var reason: String?

    /// "PASSED", "FAILED", "NOT MEASURED", "ABORTED".
    public var headline: String { result.rawValue.uppercased() }

    /// "ABORTED: signal 2", or just "PASSED".
    public var text: String { reason.map { "\(headline): \($0)" } ?? headline }

    public init(result: Result, reason: String?) {
        self.result = result
        self.reason = reason
    }

    init(_ report: RunReport) {
        let verdicts = report.analysis.verdicts
        // A failed step (a rollback, a revert) is a failure too: the run did not do what it says.
        let failed = verdicts.filter(\.failed).map(\.name) + (report.load.map { $0.succeeded ? [] : ["load"] } ?? [])
            + report.steps.filter { !$0.succeeded }.map { "step '\($0.name)'" }
        let unmeasured = verdicts.filter { $0.notMeasured != nil }.map(\.name)
        let checks = verdicts.count + (report.load == nil ? 0 : 1)
        if let why = report.abortReason {
            self.init(result: .aborted, reason: why)
        } else if !failed.isEmpty {
            self.init(result: .failed, reason: "\(failed.count) of \(checks) check(s) failed: \(failed.joined(separator: ", "))")
        } else if !unmeasured.isEmpty {
            self.init(result: .notMeasured, reason: "\(unmeasured.count) of \(checks) check(s) not measured: \(unmeasured.joined(separator: ", "))")
        } else if checks == 0 {
            self.init(result: .notMeasured, reason: "nothing was checked (no SLO, no load command)")
        } else {
            self.init(result: .passed, reason: nil)
        }
    }
}
