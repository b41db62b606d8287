import Foundation
import ChaosSystem

/// report.md: the run for people reading a pull request or a ticket — per-phase table with
/// deltas against "pre", recoveries against the SLO, verdicts, steps and the load outcome.
public enum MarkdownReport {
    public static func render(_ report: RunReport) -> String {
        let analysis = report.analysis
        var md = "# \(report.title)\n\n"
        let verdict = report.verdict
        md += "**Result: \(verdict.headline)**\(verdict.reason.map { " (\(cell($0)))" } ?? "") — started \(RFC3339.format(report.run.startedAt, alwaysMilliseconds: true)), "
        md += "\(ReportFormatting.nanosecondsAsSeconds(report.run.durationNanoseconds)), "
        md += "probe interval \(ReportFormatting.nanosecondsAsSeconds(report.run.intervalNanoseconds)), "
        md += "probes: \(report.run.probeNames.map { "`\($0)`" }.joined(separator: ", "))\n\n"
        md += "Schedule: \(ReportFormatting.schedule(report.run.schedule))\n\n"
        if let seed = report.seed { md += "Seed: \(seed) (repeat the run's random choices with `--seed \(seed)`)\n\n" }

        md += "## Steady state by phase\n\n"
        md += "| phase | samples | success | p50 | p95 | p99 | max | Δ success vs pre | Δ p95 vs pre |\n"
        md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        let pre = analysis.phase("pre")
        for stats in analysis.phases + [analysis.overall] {
            let l = stats.latency
            let isPre = stats.phase == "pre" || pre == nil
            md += "| \(stats.phase) | \(stats.count) | \(ReportFormatting.successRate(stats)) "
            md += "| \(ReportFormatting.milliseconds(l?.p50Milliseconds)) | \(ReportFormatting.milliseconds(l?.p95Milliseconds)) "
            md += "| \(ReportFormatting.milliseconds(l?.p99Milliseconds)) | \(ReportFormatting.milliseconds(l?.maxMilliseconds)) "
            md += "| \(isPre ? "–" : ReportFormatting.delta(stats.successRate, pre?.successRate, unit: "pp", scale: 100, digits: 2)) "
            md += "| \(isPre ? "–" : ReportFormatting.delta(l?.p95Milliseconds, pre?.latency?.p95Milliseconds, unit: "ms")) |\n"
        }

        if !analysis.recoveries.isEmpty {
            let limits = analysis.verdicts.filter { $0.objective == "recover_within" }
            md += "\n## Recovery\n\n"
            md += "| fault | kind | at | time to detect | recovery | SLO | verdict |\n|---|---|---:|---:|---:|---:|---|\n"
            for r in analysis.recoveries {
                let verdict = limits.first { $0.fault == r.mark.label }
                md += "| \(cell(r.mark.label)) | \(r.mark.kind.rawValue) | \(ReportFormatting.nanosecondsAsSeconds(r.mark.atNanoseconds)) "
                md += "| \(ReportFormatting.seconds(r.timeToDetectSeconds)) | \(cell(r.summary)) "
                md += "| \(verdict.map { "≤ " + ReportFormatting.seconds($0.limit) } ?? "–") "
                md += "| \(verdict.map { ReportFormatting.outcome($0) } ?? "–") |\n"
            }
            md += "\nRecovery is measured from the mark to the first sample of \(analysis.recoveries[0].consecutiveHealthy) consecutive healthy samples of every probe.\n"
        }

        md += "\n## SLO verdicts\n\n"
        if analysis.verdicts.isEmpty {
            md += "No SLO was set.\n"
        } else {
            md += "| objective | measured | limit | verdict |\n|---|---:|---:|---|\n"
            for v in analysis.verdicts {
                md += "| \(cell(v.name)) | \(ReportFormatting.measured(v.measured, unit: v.unit)) "
                md += "| \(ReportFormatting.measured(v.limit, unit: v.unit)) | \(v.passed ? "pass" : v.failed ? "**FAIL**: \(cell(v.detail))" : cell(v.detail)) |\n"
            }
        }

        if !report.steps.isEmpty {
            md += "\n## Steps\n\n| step | start | end | result |\n|---|---:|---:|---|\n"
            for s in report.steps {
                md += "| \(cell(s.name)) | \(ReportFormatting.nanosecondsAsSeconds(s.startNanoseconds)) "
                md += "| \(ReportFormatting.nanosecondsAsSeconds(s.endNanoseconds)) "
                md += "| \(s.succeeded ? "ok" : "**failed**")\(s.detail.map { ": " + cell($0) } ?? "") |\n"
            }
        }

        md += "\n## Load\n\n"
        if let load = report.load {
            md += "`\(load.command)` — \(load.ending), "
            md += "\(ReportFormatting.seconds(load.durationSeconds)) — \(load.succeeded ? "ok" : "**FAILED**")\n"
            if let summary = load.summary, !summary.isEmpty { md += "\n```\n\(summary)\n```\n" }
            if let results = report.loadResults { md += LoadMarkdown.section(results) }
        } else {
            md += "No load command ran.\n"
        }
        return md
    }

    /// Table cells must not break the row.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
