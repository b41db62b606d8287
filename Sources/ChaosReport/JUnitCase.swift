import Foundation
import ChaosProbe

/// One `<testcase>` of junit.xml: a check, the load command, a failed step or the run itself,
/// with what was measured, the limit, and when and for how long the judged data ran.
struct JUnitCase {
    var name: String
    var classname: String
    /// nil: passed; else (element, type, message).
    var problem: (element: String, type: String, message: String)?
    /// Seconds the judged data covered; 0 when there was none.
    var seconds: Double = 0
    /// When the judged data began; nil when there was none.
    var timestamp: Date?
    var properties: [(name: String, value: String)] = []
    /// The measured value against the limit, in words, for consumers that show only output.
    var output: String?

    /// A checked limit: value, limit and unit as properties, and the data it judged.
    init(_ verdict: SLOVerdict, report: RunReport) {
        name = verdict.name
        classname = "slo.\(verdict.objective)"
        let measured = ReportFormatting.measured(verdict.measured, unit: verdict.unit)
        let limit = ReportFormatting.measured(verdict.limit, unit: verdict.unit)
        if verdict.notMeasured != nil {
            problem = ("error", "NotMeasured", "\(verdict.detail) (limit \(limit))")
            output = "\(verdict.detail); limit \(limit)"
        } else {
            if !verdict.passed { problem = ("failure", "SLOViolation", "measured \(measured), limit \(limit): \(verdict.detail)") }
            output = "measured \(measured), limit \(limit): \(verdict.detail)"
        }
        properties = [("measured", verdict.measured.map { Self.number($0) } ?? "not measured"),
                      ("limit", Self.number(verdict.limit)), ("unit", verdict.unit)]
        if let phase = verdict.phase { properties.append(("phase", phase)) }
        if let fault = verdict.fault { properties.append(("fault", fault)) }
        (timestamp, seconds) = Self.coverage(of: verdict, in: report)
    }

    init(name: String, classname: String, problem: (element: String, type: String, message: String)?,
         seconds: Double = 0, timestamp: Date? = nil) {
        self.name = name
        self.classname = classname
        self.problem = problem
        self.seconds = seconds
        self.timestamp = timestamp
    }

    /// A step of the run, timed on the loop's clock.
    init(step: RunStep, report: RunReport) {
        self.init(name: step.name, classname: "step", problem: step.succeeded ? nil : ("failure", "StepFailed", step.detail ?? "failed"),
                  seconds: step.endNanoseconds.map { Double($0 - min($0, step.startNanoseconds)) / 1e9 } ?? 0,
                  timestamp: report.run.startedAt.addingTimeInterval(Double(step.startNanoseconds) / 1e9))
    }

    /// When the data a verdict judged began, and how long it ran: the phase's samples, or
    /// the stretch after a fault mark that recovery was looked for in. Nothing when there was no data.
    static func coverage(of verdict: SLOVerdict, in report: RunReport) -> (Date?, Double) {
        let run = report.run
        if let fault = verdict.fault, let recovery = report.analysis.recoveries.first(where: { $0.mark.label == fault }) {
            guard recovery.notMeasured == nil else { return (nil, 0) }
            return (run.startedAt.addingTimeInterval(Double(recovery.mark.atNanoseconds) / 1e9), recovery.observedSeconds)
        }
        let samples = run.samples.filter { sample in verdict.phase.map { sample.phase == $0 } ?? true }
        guard let first = samples.map(\.startNanoseconds).min(), let last = samples.map(\.startNanoseconds).max() else {
            return (nil, 0)
        }
        // The last sample stands for one interval of time.
        return (run.startedAt.addingTimeInterval(Double(first) / 1e9), Double(last - first + run.intervalNanoseconds) / 1e9)
    }

    /// Shortest text that reads back as the same Double ("0.1667", "200").
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
