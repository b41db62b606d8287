import Foundation
import ChaosSystem

/// report.html: one self-contained page (inline CSS, inline SVG, no scripts, no external
/// resources) with the verdict, the latency timeline, and the same tables as report.md.
public enum HTMLReport {
    public static func render(_ report: RunReport, chart: TimelineChart = TimelineChart()) -> String {
        let a = report.analysis
        let e = XMLText.escape
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        h += "<title>\(e(report.title))</title>\n<style>\n"
        h += "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
        h += "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
        h += ".pass{color:#176117}.fail{color:#b00;font-weight:bold}.badge{padding:2px 8px;border-radius:4px;color:#fff}"
        h += ".badge.pass{background:#2a7d2a}.badge.fail{background:#b00}\n</style></head><body>\n"
        let verdict = report.verdict
        h += "<h1>\(e(report.title)) <span class=\"badge \(report.passed ? "pass" : "fail")\">\(verdict.headline)</span></h1>\n"
        if let reason = verdict.reason { h += "<p class=\"\(report.passed ? "pass" : "fail")\">\(e(reason))</p>\n" }
        h += "<p>Started \(e(RFC3339.format(report.run.startedAt, alwaysMilliseconds: true))), "
        h += "\(e(ReportFormatting.nanosecondsAsSeconds(report.run.durationNanoseconds))), probe interval "
        h += "\(e(ReportFormatting.nanosecondsAsSeconds(report.run.intervalNanoseconds))); probes: \(e(report.run.probeNames.joined(separator: ", ")))<br>"
        h += "Schedule: \(e(ReportFormatting.schedule(report.run.schedule)))"
        if let seed = report.seed { h += "<br>Seed: \(seed) (repeat the run's random choices with <code>--seed \(seed)</code>)" }
        h += "</p>\n"

        h += "<h2>Timeline</h2>\n" + chart.render(report) + "\n"

        h += "<h2>Steady state by phase</h2>\n<table><tr><th>phase</th><th>samples</th><th>success</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>Δ success vs pre</th><th>Δ p95 vs pre</th></tr>\n"
        let pre = a.phase("pre")
        for s in a.phases + [a.overall] {
            let isPre = s.phase == "pre" || pre == nil
            h += "<tr><td>\(e(s.phase))</td><td>\(s.count)</td><td>\(ReportFormatting.successRate(s))</td>"
            h += "<td>\(ReportFormatting.milliseconds(s.latency?.p50Milliseconds))</td><td>\(ReportFormatting.milliseconds(s.latency?.p95Milliseconds))</td>"
            h += "<td>\(ReportFormatting.milliseconds(s.latency?.p99Milliseconds))</td><td>\(ReportFormatting.milliseconds(s.latency?.maxMilliseconds))</td>"
            h += "<td>\(isPre ? "–" : ReportFormatting.delta(s.successRate, pre?.successRate, unit: "pp", scale: 100, digits: 2))</td>"
            h += "<td>\(isPre ? "–" : ReportFormatting.delta(s.latency?.p95Milliseconds, pre?.latency?.p95Milliseconds, unit: "ms"))</td></tr>\n"
        }
        h += "</table>\n"

        if !a.recoveries.isEmpty {
            h += "<h2>Recovery</h2>\n<table><tr><th>fault</th><th>kind</th><th>at</th><th>time to detect</th><th>recovery</th></tr>\n"
            for r in a.recoveries {
                h += "<tr><td>\(e(r.mark.label))</td><td>\(r.mark.kind.rawValue)</td><td>\(ReportFormatting.nanosecondsAsSeconds(r.mark.atNanoseconds))</td>"
                h += "<td>\(e(ReportFormatting.seconds(r.timeToDetectSeconds)))</td><td class=\"\(r.recoverySeconds == nil && r.notMeasured == nil ? "fail" : "")\">\(e(r.summary))</td></tr>\n"
            }
            h += "</table>\n<p>Recovery: from the mark to the first sample of \(a.recoveries[0].consecutiveHealthy) consecutive healthy samples of every probe.</p>\n"
        }

        h += "<h2>SLO verdicts</h2>\n"
        if a.verdicts.isEmpty {
            h += "<p>No SLO was set.</p>\n"
        } else {
            h += "<table><tr><th>objective</th><th>measured</th><th>limit</th><th>verdict</th></tr>\n"
            for v in a.verdicts {
                h += "<tr><td>\(e(v.name))</td><td>\(e(ReportFormatting.measured(v.measured, unit: v.unit)))</td>"
                h += "<td>\(e(ReportFormatting.measured(v.limit, unit: v.unit)))</td>"
                h += "<td class=\"\(v.passed ? "pass" : v.failed ? "fail" : "")\">\(v.passed ? "pass" : v.failed ? "FAIL: " + e(v.detail) : e(v.detail))</td></tr>\n"
            }
            h += "</table>\n"
        }

        if !report.steps.isEmpty {
            h += "<h2>Steps</h2>\n<table><tr><th>step</th><th>start</th><th>end</th><th>result</th></tr>\n"
            for s in report.steps {
                h += "<tr><td>\(e(s.name))</td><td>\(ReportFormatting.nanosecondsAsSeconds(s.startNanoseconds))</td>"
                h += "<td>\(ReportFormatting.nanosecondsAsSeconds(s.endNanoseconds))</td>"
                h += "<td class=\"\(s.succeeded ? "pass" : "fail")\">\(s.succeeded ? "ok" : "failed")\(e(s.detail.map { ": " + $0 } ?? ""))</td></tr>\n"
            }
            h += "</table>\n"
        }

        h += "<h2>Load</h2>\n"
        if let load = report.load {
            h += "<p><code>\(e(load.command))</code>: \(e(load.ending)), "
            h += "\(e(ReportFormatting.seconds(load.durationSeconds))) — <span class=\"\(load.succeeded ? "pass" : "fail")\">\(load.succeeded ? "ok" : "FAILED")</span></p>\n"
            if let summary = load.summary, !summary.isEmpty { h += "<pre>\(e(summary))</pre>\n" }
        } else {
            h += "<p>No load command ran.</p>\n"
        }
        h += "</body></html>\n"
        return h
    }
}
