/// The rate panel: request rates against the left axis, error rates against a fixed
/// 0–100 % right axis, and the error-rate limits; plus the axes both panels use.
extension TimelineChart {
    func ratePanel(_ marks: ChartMarks, _ series: [TimeSeries], _ layout: Layout, _ x: (UInt64) -> Double) -> String {
        let rates = series.filter { $0.quantity == .requestRate }.flatMap { $0.points.compactMap(\.value) }
        let rateMax = ChartScale.niceCeiling(max((rates.max() ?? 1) * 1.1, 0.1))
        func yRate(_ v: Double) -> Double { layout.rateBottom - min(v, rateMax) / rateMax * rateHeight }
        // Error rate against the right axis, always 0–100 %, so a glance compares runs.
        func yError(_ ratio: Double) -> Double { layout.rateBottom - min(max(ratio, 0), 1) * rateHeight }
        var svg = axis(ChartScale.ticks(upTo: rateMax), unit: "/s", onLeft: true, yRate)
        svg += axis([0, 0.25, 0.5, 0.75, 1], unit: "", onLeft: false, yError, label: { "\(Int($0 * 100))%" })
        for s in indexed(series) where s.series.quantity != .latency {
            let y = s.series.quantity == .requestRate ? yRate : yError
            svg += SVG.path(s.series.points.map { p in p.value.map { (x(p.atNanoseconds), y($0)) } },
                            stroke: ChartPalette.series(s.series.quantity, index: s.index), attributes: "class=\"series\"")
        }
        svg += limitLines(marks.limits.filter { $0.quantity == .errorRate }, yError, x)
        return svg
    }

    /// Dashed SLO lines over their spans; each distinct label once, at the right end of its last span.
    func limitLines(_ limits: [ChartMarks.Limit], _ y: (Double) -> Double, _ x: (UInt64) -> Double) -> String {
        var svg = ""
        for (i, limit) in limits.enumerated() {
            svg += SVG.line(x(limit.span.start), y(limit.value), x(limit.span.end), y(limit.value), stroke: ChartPalette.sloLimit,
                            attributes: "class=\"slo-limit\" stroke-width=\"2\" stroke-dasharray=\"8 4\"", title: limit.label)
            if !limits[(i + 1)...].contains(where: { $0.label == limit.label }) {
                svg += SVG.text(limit.label, x: x(limit.span.end) - 3, y: y(limit.value) - 4, fill: ChartPalette.sloLimit, anchor: "end")
            }
        }
        return svg
    }

    func axis(_ ticks: [Double], unit: String, onLeft: Bool, _ y: (Double) -> Double,
                      label: ((Double) -> String)? = nil) -> String {
        var svg = ""
        for tick in ticks {
            if onLeft { svg += SVG.line(left, y(tick), width - right, y(tick), stroke: ChartPalette.grid) }
            let text = label?(tick) ?? ChartScale.label(tick) + unit
            svg += SVG.text(text, x: onLeft ? left - 6 : width - right + 6, y: y(tick) + 4, anchor: onLeft ? "end" : "start")
        }
        return svg
    }

    func timeAxis(end: Double, below y: Double, _ x: (UInt64) -> Double) -> String {
        ChartScale.ticks(upTo: end / 1e9).map { tick in
            SVG.text("\(ChartScale.label(tick)) s", x: x(UInt64(tick * 1e9)), y: y + 15, anchor: "middle")
        }.joined()
    }
}
