import ChaosProbe

/// The latency panel: healthy checks as dots against the latency axis, failed checks as
/// crosses in the lane above it, latency series, SLO limits, deadlines and recovery lines.
extension TimelineChart {
    func latencyPanel(_ run: ProbeRun, _ drawn: [ProbeSample], _ marks: ChartMarks, _ series: [TimeSeries],
                      _ layout: Layout, _ x: (UInt64) -> Double) -> String {
        let latencies = run.samples.filter(\.ok).compactMap(\.latencyMilliseconds)
            + series.filter { $0.quantity == .latency }.flatMap { $0.points.compactMap(\.value) }
            + marks.limits.filter { $0.quantity == .latency }.map(\.value)
        let yMax = ChartScale.niceCeiling(max((latencies.max() ?? 1) * 1.1, 0.1))
        func y(_ ms: Double) -> Double { layout.latencyBottom - min(ms, yMax) / yMax * latencyHeight }
        var svg = axis(ChartScale.ticks(upTo: yMax), unit: " ms", onLeft: true, y)
        for s in indexed(series) where s.series.quantity == .latency {
            svg += SVG.path(s.series.points.map { p in p.value.map { (x(p.atNanoseconds), y($0)) } },
                            stroke: ChartPalette.series(.latency, index: s.index), attributes: "class=\"series\"")
        }
        for sample in drawn {
            let cx = x(sample.startNanoseconds)
            if sample.ok, let ms = sample.latencyMilliseconds {
                svg += "<circle class=\"sample ok\" cx=\"\(SVG.n(cx))\" cy=\"\(SVG.n(y(ms)))\" r=\"2\" fill=\"\(ChartPalette.okSample)\"/>\n"
            } else if !sample.ok {
                let cy = layout.laneTop + laneHeight / 2
                let latency = sample.latencyMilliseconds.map { String(format: " after %.1f ms", $0) } ?? " (not run: the previous check was still running)"
                svg += "<path class=\"sample fail\" d=\"M\(SVG.n(cx - 3)) \(SVG.n(cy - 4)) L\(SVG.n(cx + 3)) \(SVG.n(cy + 4)) M\(SVG.n(cx - 3)) \(SVG.n(cy + 4)) L\(SVG.n(cx + 3)) \(SVG.n(cy - 4))\" "
                svg += "stroke=\"\(ChartPalette.failedSample)\" stroke-width=\"1.5\"><title>\(XMLText.escape(sample.probe)): "
                svg += "\(XMLText.escape(sample.reason ?? "failed"))\(latency)</title></path>\n"
            }
        }
        svg += limitLines(marks.limits.filter { $0.quantity == .latency }, y, x)
        for deadline in marks.deadlines {
            svg += SVG.line(x(deadline.at), layout.latencyTop, x(deadline.at), layout.latencyBottom, stroke: ChartPalette.sloLimit,
                            attributes: "class=\"slo-deadline\" stroke-width=\"2\" stroke-dasharray=\"8 4\"")
            svg += SVG.text(deadline.label, x: x(deadline.at) + 3, y: layout.latencyBottom - 18, fill: ChartPalette.sloLimit)
        }
        for recovery in marks.recoveries {
            svg += SVG.line(x(recovery.at), layout.latencyTop, x(recovery.at), layout.latencyBottom, stroke: ChartPalette.recovered,
                            attributes: "class=\"recovery-mark\" stroke-width=\"2\"")
            svg += SVG.text(recovery.label, x: x(recovery.at) + 3, y: layout.latencyBottom - 5, fill: ChartPalette.recovered)
        }
        return svg
    }
}
