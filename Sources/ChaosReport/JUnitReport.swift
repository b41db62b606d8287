import Foundation

/// junit.xml: one test case per check, so CI systems show the run's verdict. A missed SLO
/// is a `<failure>` with the measured value in its message; a check that could not be
/// measured is an `<error>` ("not measured: …"), never a pass or a failure; the load
/// command, when present, is one more case, and so is each step that failed. A run that was aborted, or that checked
/// nothing at all, gets a case named "run" in error, so it can never show green.
public enum JUnitReport {
    struct Case {
        var name: String
        var classname: String
        /// nil: passed; else (element, type, message).
        var problem: (element: String, type: String, message: String)?
    }

    public static func render(_ report: RunReport) -> String {
        var cases: [Case] = report.analysis.verdicts.map { v in
            let message = "measured \(ReportFormatting.measured(v.measured, unit: v.unit)), limit \(ReportFormatting.measured(v.limit, unit: v.unit)): \(v.detail)"
            let problem: (String, String, String)? = v.passed ? nil
                : v.notMeasured != nil ? ("error", "NotMeasured", v.detail) : ("failure", "SLOViolation", message)
            return Case(name: v.name, classname: "slo.\(v.objective)", problem: problem)
        }
        if let load = report.load {
            cases.append(Case(name: "load", classname: "load",
                              problem: load.succeeded ? nil : ("failure", "LoadFailed", "\(load.command): \(load.ending)")))
        }
        // A failed step (a rollback, a revert) fails the run, so it is a case of its own.
        cases += report.steps.filter { !$0.succeeded }.map { step in
            Case(name: step.name, classname: "step", problem: ("failure", "StepFailed", step.detail ?? "failed"))
        }
        let verdict = report.verdict
        if verdict.result == .aborted || cases.isEmpty {
            let message = verdict.result == .aborted ? "aborted: \(verdict.reason ?? "")" : "not measured: \(verdict.reason ?? "")"
            cases.append(Case(name: "run", classname: "run",
                              problem: ("error", verdict.result == .aborted ? "Aborted" : "NotMeasured", message)))
        }
        let failures = cases.filter { $0.problem?.element == "failure" }.count
        let errors = cases.filter { $0.problem?.element == "error" }.count
        let seconds = String(format: "%.3f", Double(report.run.durationNanoseconds) / 1e9)
        let title = XMLText.escape(report.title)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(title)\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(seconds)\">\n"
        xml += "  <testsuite name=\"\(title)\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(seconds)\">\n"
        if let seed = report.seed {
            xml += "    <properties><property name=\"seed\" value=\"\(seed)\"/></properties>\n"
        }
        for c in cases {
            xml += "    <testcase classname=\"\(XMLText.escape(c.classname))\" name=\"\(XMLText.escape(c.name))\" time=\"0\""
            if let p = c.problem {
                let message = XMLText.escape(p.message)
                xml += ">\n      <\(p.element) message=\"\(message)\" type=\"\(p.type)\">\(message)</\(p.element)>\n    </testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }
}
