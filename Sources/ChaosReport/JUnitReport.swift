import Foundation

/// junit.xml: one test case per check, so CI systems show the run's verdict. A missed SLO
/// is a `<failure>` whose message gives the measured value and the limit; a check that could
/// not be measured is an `<error>` ("not measured: …"), never a pass or a failure; the load
/// command, when present, is one more case, and so is each step that failed. A run that was
/// aborted, or that checked nothing at all, gets a case named "run" in error, so it can never
/// show green.
///
/// Each check's case carries `measured`, `limit` and `unit` (and `phase` or `fault`) as
/// `<properties>` (read by Jenkins and pytest-style consumers; others ignore them), the same
/// in words in `<system-out>`, `time` = seconds of data judged, and `timestamp` = when that
/// data began (UTC, `yyyy-MM-ddTHH:mm:ss` as Ant writes it); no timestamp when there was none.
public enum JUnitReport {
    public static func render(_ report: RunReport) -> String {
        var cases = report.analysis.verdicts.map { JUnitCase($0, report: report) }
        if let load = report.load {
            cases.append(JUnitCase(name: "load", classname: "load",
                                   problem: load.succeeded ? nil : ("failure", "LoadFailed", "\(load.command): \(load.ending)"),
                                   seconds: load.durationSeconds))
        }
        // A failed step (a rollback, a revert) fails the run, so it is a case of its own.
        cases += report.steps.filter { !$0.succeeded }.map { JUnitCase(step: $0, report: report) }
        let verdict = report.verdict
        let runSeconds = Double(report.run.durationNanoseconds) / 1e9
        if verdict.result == .aborted || cases.isEmpty {
            let message = verdict.result == .aborted ? "aborted: \(verdict.reason ?? "")" : "not measured: \(verdict.reason ?? "")"
            cases.append(JUnitCase(name: "run", classname: "run",
                                   problem: ("error", verdict.result == .aborted ? "Aborted" : "NotMeasured", message),
                                   seconds: runSeconds, timestamp: report.run.startedAt))
        }
        let failures = cases.filter { $0.problem?.element == "failure" }.count
        let errors = cases.filter { $0.problem?.element == "error" }.count
        let e = XMLText.escape
        let title = e(report.title)
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(seconds(runSeconds))\""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"\(title)\" \(counts)>\n"
        xml += "  <testsuite name=\"\(title)\" \(counts) timestamp=\"\(timestamp(report.run.startedAt))\">\n"
        if let seed = report.seed {
            xml += "    <properties><property name=\"seed\" value=\"\(seed)\"/></properties>\n"
        }
        for c in cases {
            xml += "    <testcase classname=\"\(e(c.classname))\" name=\"\(e(c.name))\" time=\"\(seconds(c.seconds))\""
            xml += c.timestamp.map { " timestamp=\"\(timestamp($0))\"" } ?? ""
            guard c.problem != nil || !c.properties.isEmpty || c.output != nil else { xml += "/>\n"; continue }
            xml += ">\n"
            if !c.properties.isEmpty {
                xml += "      <properties>"
                xml += c.properties.map { "<property name=\"\(e($0.name))\" value=\"\(e($0.value))\"/>" }.joined()
                xml += "</properties>\n"
            }
            if let p = c.problem {
                xml += "      <\(p.element) message=\"\(e(p.message))\" type=\"\(p.type)\">\(e(p.message))</\(p.element)>\n"
            }
            if let output = c.output { xml += "      <system-out>\(e(output))</system-out>\n" }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    private static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date)
    }
}
