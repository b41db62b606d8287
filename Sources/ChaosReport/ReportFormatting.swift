import Foundation
import ChaosCore
import ChaosProbe

/// Number formats shared by the Markdown, JUnit and HTML reports, so they read the same.
enum ReportFormatting {
    static func percent(_ ratio: Double?) -> String {
        guard let ratio else { return "–" }
        return String(format: "%.2f%%", ratio * 100)
    }

    /// A phase's success rate; a phase with no samples was not measured, which is not 0 %.
    static func successRate(_ stats: PhaseStatistics) -> String {
        stats.count == 0 ? "not measured" : percent(stats.successRate)
    }

    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.1f ms", value)
    }

    static func seconds(_ value: Double?) -> String {
        guard let value else { return "–" }
        return DurationParser.format(value)
    }

    /// "+12.3 ms" / "−1.20 pp" style deltas against the pre phase; "–" when either side is missing.
    static func delta(_ value: Double?, _ baseline: Double?, unit: String, scale: Double = 1, digits: Int = 1) -> String {
        guard let value, let baseline else { return "–" }
        let d = (value - baseline) * scale
        return String(format: "%@%.\(digits)f %@", d >= 0 ? "+" : "-", abs(d), unit)
    }

    /// The measured value of a verdict in its unit; "–" when there is none (the verdict's
    /// detail says whether that is "not recovered" or "not measured").
    static func measured(_ value: Double?, unit: String) -> String {
        switch unit {
        case "ratio": return percent(value)
        case "ms": return milliseconds(value)
        case "s": return seconds(value)
        default: return value.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) } ?? "–"
        }
    }

    /// "pass", "**FAIL**" or "not measured" (Markdown).
    static func outcome(_ verdict: SLOVerdict) -> String {
        verdict.passed ? "pass" : verdict.notMeasured != nil ? "not measured" : "**FAIL**"
    }

    static func nanosecondsAsSeconds(_ value: UInt64?) -> String {
        guard let value else { return "–" }
        return String(format: "%.3f s", Double(value) / 1e9)
    }

    /// "1200 ticks, max lateness 0.4 ms, 0 missed".
    static func schedule(_ s: ScheduleStatistics) -> String {
        guard s.ticks > 0 else { return "no ticks" + (s.missedTicks > 0 ? ", \(s.missedTicks) missed" : "") }
        return String(format: "%d ticks, max lateness %.2f ms, mean %.3f ms, %d missed", s.ticks,
               Double(s.maxLatenessNanoseconds) / 1e6, s.meanLatenessNanoseconds / 1e6, s.missedTicks)
    }
}
