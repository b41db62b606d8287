import Foundation

/// junit.xml: one test case per SLO verdict, so CI systems show a missed SLO as a failed test
/// with the measured value in its message. The load command, when present, is one more case.
public enum JUnitReport {
    public static func render(_ report: RunReport) -> String {
        var cases: [(name: String, classname: String, failure: String?)] = report.analysis.verdicts.map { v in
            let message = "measured \(ReportFormatting.measured(v.measured, unit: v.unit)), limit \(ReportFormatting.measured(v.limit, unit: v.unit)): \(v.detail)"
            return (v.name, "slo.\(v.objective)", v.passed ? nil : message)
        }
        if let load = report.load {
            cases.append(("load", "load", load.succeeded ? nil
                          : "\(load.command): \(load.exitCode.map { "exit code \($0)" } ?? "did not finish")"))
        }
        let failures = cases.filter { $0.failure != nil }.count
        let seconds = String(format: "%.3f", Double(report.run.durationNanoseconds) / 1e9)
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(XMLText.escape(report.title))\" tests=\"\(cases.count)\" failures=\"\(failures)\" time=\"\(seconds)\">\n"
        xml += "  <testsuite name=\"\(XMLText.escape(report.title))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" time=\"\(seconds)\">\n"
        for c in cases {
            xml += "    <testcase classname=\"\(XMLText.escape(c.classname))\" name=\"\(XMLText.escape(c.name))\" time=\"0\""
            if let failure = c.failure {
                xml += ">\n      <failure message=\"\(XMLText.escape(failure))\" type=\"SLOViolation\">\(XMLText.escape(failure))</failure>\n    </testcase>\n"
            } else {
                xml += "/>\n"
            }
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }
}
