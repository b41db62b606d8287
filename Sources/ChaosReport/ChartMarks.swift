import ChaosProbe

/// What the timeline marks besides samples, taken from the run and its analysis: fault
/// windows, the spans of each phase, SLO limits and where recovery was reached. Plain data,
/// so the drawing code only places it.
struct ChartMarks {
    struct Window { var start: UInt64; var end: UInt64; var label: String }
    struct Span { var start: UInt64; var end: UInt64 }
    /// A limit drawn across the phase it applies to ("p95 ≤ 200 ms" during `during`).
    struct Limit { var quantity: TimeSeries.Quantity; var value: Double; var span: Span; var label: String }
    /// A recover_within limit: the instant by which recovery had to be reached.
    struct Deadline { var at: UInt64; var label: String }
    struct Recovery { var at: UInt64; var label: String }

    var windows: [Window]
    var limits: [Limit]
    var deadlines: [Deadline]
    var recoveries: [Recovery]

    init(_ report: RunReport) {
        let run = report.run
        let end = Self.end(of: run)
        windows = Self.faultWindows(run)
        let spans = Self.phaseSpans(run, end: end)
        limits = report.analysis.verdicts.flatMap { verdict -> [Limit] in
            guard let quantity = Self.quantity(verdict.objective) else { return [] }
            let label = Self.limitLabel(verdict)
            let covered = verdict.phase.flatMap { spans[$0] } ?? [Span(start: 0, end: end)]
            return covered.map { Limit(quantity: quantity, value: verdict.limit, span: $0, label: label) }
        }
        deadlines = report.analysis.verdicts.compactMap { verdict in
            guard verdict.objective == "recover_within", let fault = verdict.fault,
                  let mark = report.analysis.recoveries.first(where: { $0.mark.label == fault })?.mark else { return nil }
            let at = mark.atNanoseconds + UInt64(verdict.limit * 1e9)
            // A deadline after the record ends is off the chart; the tables still state it.
            return at <= end ? Deadline(at: at, label: "recover ≤ \(ReportFormatting.seconds(verdict.limit))") : nil
        }
        // Only recoveries that were reached: a missing or unmeasured one is not drawn as if it had been.
        recoveries = report.analysis.recoveries.compactMap { r in
            guard let at = r.recoveredAtNanoseconds, let seconds = r.recoverySeconds else { return nil }
            return Recovery(at: at, label: "recovered (\(ReportFormatting.seconds(seconds)))")
        }
    }

    /// The end of the timeline: the record's end, or its last sample if that is later.
    static func end(of run: ProbeRun) -> UInt64 {
        max(run.durationNanoseconds, run.samples.last?.startNanoseconds ?? 0, 1)
    }

    /// Each fault start paired with the next fault end (the run's end if none came).
    static func faultWindows(_ run: ProbeRun) -> [Window] {
        var windows: [Window] = []
        var open: [LoopEvent] = []
        for event in run.events {
            switch event.kind {
            case .faultStart: open.append(event)
            case .faultEnd:
                // Close the window with the same label, else the oldest open one.
                let index = open.firstIndex { $0.label == event.label } ?? (open.isEmpty ? nil : 0)
                if let index {
                    let start = open.remove(at: index)
                    windows.append(Window(start: start.atNanoseconds, end: event.atNanoseconds, label: start.label))
                }
            default: break
            }
        }
        windows += open.map { Window(start: $0.atNanoseconds, end: run.durationNanoseconds, label: $0.label) }
        return windows
    }

    /// Where each phase ran: from its phase event to the next one (or the end).
    static func phaseSpans(_ run: ProbeRun, end: UInt64) -> [String: [Span]] {
        let changes = run.events.filter { $0.kind == .phase }
        var spans: [String: [Span]] = [:]
        for (i, change) in changes.enumerated() {
            let until = i + 1 < changes.count ? changes[i + 1].atNanoseconds : end
            spans[change.label, default: []].append(Span(start: change.atNanoseconds, end: until))
        }
        return spans
    }

    static func quantity(_ objective: String) -> TimeSeries.Quantity? {
        switch objective {
        case "p95_ms", "p99_ms": return .latency
        case "max_error_rate": return .errorRate
        default: return nil
        }
    }

    /// "p95 ≤ 200.0 ms", "error rate ≤ 1.00%".
    static func limitLabel(_ verdict: SLOVerdict) -> String {
        let what = verdict.objective == "max_error_rate" ? "error rate" : String(verdict.objective.prefix(3))
        return "\(what) ≤ \(ReportFormatting.measured(verdict.limit, unit: verdict.unit))"
    }
}
