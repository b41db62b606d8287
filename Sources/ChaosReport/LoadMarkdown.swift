import ChaosLoad

/// report.md's load section: the generator's figures per phase (pre, during, post, each
/// step) with deltas against pre, recoveries on user traffic, k6's thresholds and every
/// problem found in its output.
enum LoadMarkdown {
    static func section(_ summary: LoadSummary) -> String {
        var md = "\n### User traffic by phase (\(summary.tool.rawValue), `\(summary.source)`)\n\n"
        md += "| phase | requests | req/s | error rate | Δ error rate | p50 | p95 | Δ p95 | p99 | note |\n"
        md += "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
        let pre = summary.phases["pre"]
        for name in summary.phaseOrder {
            guard let phase = summary.phases[name] else { continue }
            let isPre = name == "pre"
            md += "| \(cell(name)) | \(phase.requests) | \(phase.requestRate.map { String(format: "%.1f", $0) } ?? "–") "
            md += "| \(ReportFormatting.percent(phase.errorRate)) "
            md += "| \(isPre ? "" : ReportFormatting.delta(phase.errorRate, pre?.errorRate, unit: "pp", scale: 100, digits: 2)) "
            md += "| \(ReportFormatting.milliseconds(phase.p50Milliseconds)) | \(ReportFormatting.milliseconds(phase.p95Milliseconds)) "
            md += "| \(isPre ? "" : ReportFormatting.delta(phase.p95Milliseconds, pre?.p95Milliseconds, unit: "ms")) "
            md += "| \(ReportFormatting.milliseconds(phase.p99Milliseconds)) "
            md += "| \(phase.notMeasured.map { "not measured: " + cell($0) } ?? "") |\n"
        }
        if !summary.recoveries.isEmpty {
            md += "\nRecovery on user traffic:\n\n"
            for recovery in summary.recoveries { md += "- \(recovery.fault): \(recovery.summary)\n" }
        }
        if !summary.thresholds.isEmpty {
            md += "\nk6 thresholds:\n\n"
            for t in summary.thresholds { md += "- `\(t.metric)`: `\(t.expression)` — \(t.failed ? "**failed**" : "held")\n" }
        }
        if !summary.problems.isEmpty {
            md += "\nProblems in the generator's output:\n\n"
            for p in summary.problems { md += "- \(p.effect == .lostData ? "**not measured**: " : "")\(p.description)\n" }
        }
        return md
    }


    private static func cell(_ text: String) -> String { MarkdownReport.cell(text) }
}
