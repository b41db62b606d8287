import Foundation
import ChaosProbe

/// The report's timeline as one SVG (no JavaScript, no external resources), read from top
/// to bottom: a legend; the latency panel, with a "failed" lane above it where every failed
/// check is a red cross (a failure has no latency worth plotting: a refused connection is
/// fast, a timeout is the timeout), healthy checks as dots, SLO latency limits as dashed
/// lines over the phases they apply to, and a green line where recovery was reached; then a
/// rate panel with checks per second and the error rate (and any series a report adds, see
/// ``TimeSeries``). Fault windows are shaded across both panels and labelled with their
/// step name; phase changes and one-shot faults are dashed vertical lines.
///
/// Every sample is drawn while there are at most `maxPoints`; above that, successful samples
/// are thinned evenly (failures are always all drawn) and the chart says so.
public struct TimelineChart {
    public var width = 960.0
    public var maxPoints = 20_000

    let left = 64.0, right = 56.0
    let laneHeight = 22.0, latencyHeight = 200.0, rateHeight = 110.0

    public init() {}

    /// Vertical positions, worked out once the legend's height is known.
    struct Layout {
        var legend: String
        var laneTop: Double
        var latencyTop: Double
        var latencyBottom: Double
        var rateTop: Double
        var rateBottom: Double
        var height: Double
    }

    public func render(_ report: RunReport) -> String {
        let run = report.run
        let marks = ChartMarks(report)
        // A series with no value at all has nothing to draw, and so no place in the legend.
        let series = (ProbeRates.series(run) + (report.series ?? [])).filter { $0.points.contains { $0.value != nil } }
        let drawn = thinned(run.samples)
        let end = Double(ChartMarks.end(of: run))
        let plotWidth = width - left - right
        func x(_ ns: UInt64) -> Double { left + Double(ns) / end * plotWidth }

        let legend = legend(run, marks, series)
        let (legendSVG, legendBottom) = legend.render(left: left, top: 4, width: plotWidth)
        let laneTop = legendBottom + 22, latencyBottom = laneTop + laneHeight + latencyHeight
        let rateTop = latencyBottom + 36, rateBottom = rateTop + rateHeight
        let layout = Layout(legend: legendSVG, laneTop: laneTop, latencyTop: laneTop + laneHeight, latencyBottom: latencyBottom,
                            rateTop: rateTop, rateBottom: rateBottom, height: rateBottom + 44)

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"\(Int(width))\" height=\"\(Int(layout.height))\" "
        svg += "viewBox=\"0 0 \(Int(width)) \(Int(layout.height))\" role=\"img\" aria-label=\"probe latency, errors and request rate over time\">\n"
        svg += layout.legend
        svg += SVG.rect(x: left, y: layout.laneTop, width: plotWidth, height: laneHeight, fill: "#f1f1f1",
                        attributes: "class=\"failure-lane\" stroke=\"\(ChartPalette.frame)\"")
        svg += SVG.text("failed", x: left - 6, y: layout.laneTop + 13, fill: ChartPalette.failedSample, anchor: "end")
        svg += SVG.rect(x: left, y: layout.latencyTop, width: plotWidth, height: latencyHeight, fill: ChartPalette.background,
                        attributes: "class=\"latency-area\" stroke=\"\(ChartPalette.frame)\"")
        svg += SVG.rect(x: left, y: layout.rateTop, width: plotWidth, height: rateHeight, fill: ChartPalette.background,
                        attributes: "class=\"rate-area\" stroke=\"\(ChartPalette.frame)\"")
        svg += faultWindows(marks, layout, x)
        svg += latencyPanel(run, drawn, marks, series, layout, x)
        svg += ratePanel(marks, series, layout, x)
        svg += timeAxis(end: end, below: layout.latencyBottom, x) + timeAxis(end: end, below: layout.rateBottom, x)
        svg += events(run, layout, x)
        svg += faultLabels(marks, layout, x)

        if run.samples.isEmpty {
            svg += SVG.text("no probe sample was taken: nothing measured", x: left + plotWidth / 2,
                            y: layout.latencyTop + latencyHeight / 2, fill: ChartPalette.muted, anchor: "middle",
                            attributes: "class=\"not-measured\"")
        }
        if drawn.count < run.samples.count {
            svg += SVG.text("\(drawn.count) of \(run.samples.count) samples drawn (all failures)", x: left + plotWidth,
                            y: layout.height - 6, fill: ChartPalette.muted, anchor: "end")
        }
        let bucket = ReportFormatting.seconds(Double(ProbeRates.bucketNanoseconds(run)) / 1e9)
        svg += SVG.text("time since start. Lower panel: checks/s (left axis) and error rate (right axis) per \(bucket); a gap means no data",
                        x: left, y: layout.height - 6, fill: ChartPalette.muted)
        svg += "</svg>"
        return svg
    }

    // MARK: parts

    private func legend(_ run: ProbeRun, _ marks: ChartMarks, _ series: [TimeSeries]) -> ChartLegend {
        var legend = ChartLegend()
        if !marks.windows.isEmpty { legend.add("fault window (step name)", ChartPalette.fault, .area(opacity: ChartPalette.faultOpacity)) }
        if run.samples.contains(where: \.ok) { legend.add("healthy check (latency)", ChartPalette.okSample, .dot) }
        if run.samples.contains(where: { !$0.ok }) { legend.add("failed check", ChartPalette.failedSample, .cross) }
        if !marks.limits.isEmpty || !marks.deadlines.isEmpty { legend.add("SLO limit", ChartPalette.sloLimit, .line(dashed: true)) }
        if !marks.recoveries.isEmpty { legend.add("recovery reached", ChartPalette.recovered, .line(dashed: false)) }
        if run.events.contains(where: { $0.kind == .oneShot }) { legend.add("one-shot fault", ChartPalette.oneShot, .line(dashed: true)) }
        for s in indexed(series) { legend.add(s.series.name, ChartPalette.series(s.series.quantity, index: s.index), .line(dashed: false)) }
        return legend
    }

    private func faultWindows(_ marks: ChartMarks, _ layout: Layout, _ x: (UInt64) -> Double) -> String {
        var svg = ""
        for window in marks.windows {
            let x0 = x(window.start), w = max(1, x(window.end) - x0)
            for (top, bottom) in [(layout.laneTop, layout.latencyBottom), (layout.rateTop, layout.rateBottom)] {
                svg += SVG.rect(x: x0, y: top, width: w, height: bottom - top, fill: ChartPalette.fault,
                                attributes: "class=\"fault-window\" fill-opacity=\"\(ChartPalette.faultOpacity)\"", title: window.label)
            }
        }
        return svg
    }

    /// Step names inside their windows, below the failed lane; overlapping windows' labels
    /// go on separate rows. A name too long for a narrow window is cut, the full one is its tooltip.
    private func faultLabels(_ marks: ChartMarks, _ layout: Layout, _ x: (UInt64) -> Double) -> String {
        var svg = "", rowEnds: [Double] = []
        for window in marks.windows.sorted(by: { $0.start < $1.start }) {
            let x0 = x(window.start) + 3
            let room = max(x(window.end) - x0 - 3, 90)
            var text = window.label
            while ChartLegend.textWidth(text) > room && text.count > 1 { text = String(text.dropLast(2)) + "…" }
            let row = rowEnds.firstIndex { $0 < x0 } ?? rowEnds.count
            let end = x0 + ChartLegend.textWidth(text)
            if row == rowEnds.count { rowEnds.append(end) } else { rowEnds[row] = end }
            svg += "<text class=\"fault-label\" x=\"\(SVG.n(x0))\" y=\"\(SVG.n(layout.latencyTop + 14 + Double(row) * 13))\" font-size=\"11\" "
            svg += "font-weight=\"bold\" fill=\"\(ChartPalette.faultLabel)\"><title>\(XMLText.escape(window.label))</title>\(XMLText.escape(text))</text>\n"
        }
        return svg
    }

    private func events(_ run: ProbeRun, _ layout: Layout, _ x: (UInt64) -> Double) -> String {
        var svg = ""
        for event in run.events where event.kind == .phase || event.kind == .oneShot {
            let px = x(event.atNanoseconds), phase = event.kind == .phase
            for (top, bottom) in [(layout.laneTop, layout.latencyBottom), (layout.rateTop, layout.rateBottom)] {
                svg += SVG.line(px, top, px, bottom, stroke: phase ? ChartPalette.phaseChange : ChartPalette.oneShot,
                                attributes: phase ? "class=\"phase-change\" stroke-dasharray=\"3 3\""
                                    : "class=\"one-shot\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\"", title: event.label)
            }
            svg += SVG.text(event.label, x: px + 3, y: layout.laneTop - 6, fill: phase ? ChartPalette.muted : ChartPalette.oneShot)
        }
        return svg
    }

    /// Each series with its index among those of the same quantity (its colour).
    func indexed(_ series: [TimeSeries]) -> [(index: Int, series: TimeSeries)] {
        var seen: [TimeSeries.Quantity: Int] = [:]
        return series.map { s in
            defer { seen[s.quantity, default: 0] += 1 }
            return (seen[s.quantity, default: 0], s)
        }
    }

    /// Samples to draw: all of them up to `maxPoints`, else every failure plus evenly spaced successes.
    func thinned(_ samples: [ProbeSample]) -> [ProbeSample] {
        guard samples.count > maxPoints else { return samples }
        let failures = samples.filter { !$0.ok }.count
        let room = max(0, maxPoints - failures)
        let successes = samples.count - failures
        let stride = max(1, Int((Double(successes) / Double(max(1, room))).rounded(.up)))
        var seen = 0
        return samples.filter { sample in
            guard sample.ok else { return true }
            defer { seen += 1 }
            return seen % stride == 0
        }
    }
}
