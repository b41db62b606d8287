import Foundation
import ChaosProbe

/// An SVG chart of probe latency over time, generated here so the HTML report renders with
/// no JavaScript and no external resources. Successful samples are grey-blue dots, failures
/// red (skipped ticks, which have no latency, sit on the top edge), fault windows are shaded,
/// one-shot faults are red dashed lines and phase changes grey dashed lines.
///
/// Every sample is drawn while there are at most `maxPoints`; above that, successful samples
/// are thinned evenly (failures are always all drawn) and the chart says so.
public struct TimelineChart {
    public var width = 960.0
    public var height = 320.0
    public var maxPoints = 20_000

    private let left = 64.0, right = 16.0, top = 24.0, bottom = 40.0

    public init() {}

    public func render(_ run: ProbeRun) -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let duration = max(Double(run.durationNanoseconds), Double(run.samples.last?.startNanoseconds ?? 0), 1) / 1e9
        let maxLatency = run.samples.compactMap(\.latencyMilliseconds).max() ?? 1
        let yMax = Self.niceCeiling(max(maxLatency * 1.1, 0.1))
        func x(_ ns: UInt64) -> Double { left + Double(ns) / 1e9 / duration * plotWidth }
        func y(_ ms: Double) -> Double { top + plotHeight - min(ms, yMax) / yMax * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        svg += "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"probe latency over time\">\n"
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"#fbfbfb\" stroke=\"#ccc\"/>\n"

        for window in Self.faultWindows(run) {
            let x0 = x(window.start), x1 = x(window.end)
            svg += "<rect class=\"fault-window\" x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(max(1, x1 - x0)))\" height=\"\(f(plotHeight))\" fill=\"#f6d5d5\" fill-opacity=\"0.7\">"
            svg += "<title>\(XMLText.escape(window.label))</title></rect>\n"
        }
        // Axes and grid.
        for tick in Self.ticks(upTo: yMax) {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#e4e4e4\"/>"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" font-size=\"11\" text-anchor=\"end\">\(Self.label(tick)) ms</text>\n"
        }
        for tick in Self.ticks(upTo: duration) {
            let px = left + tick / duration * plotWidth
            svg += "<text x=\"\(f(px))\" y=\"\(f(top + plotHeight + 16))\" font-size=\"11\" text-anchor=\"middle\">\(Self.label(tick)) s</text>\n"
        }
        for event in run.events where event.kind == .phase {
            svg += "<line class=\"phase-change\" x1=\"\(f(x(event.atNanoseconds)))\" x2=\"\(f(x(event.atNanoseconds)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\" stroke=\"#888\" stroke-dasharray=\"3 3\"/>"
            svg += "<text x=\"\(f(x(event.atNanoseconds) + 3))\" y=\"\(f(top - 8))\" font-size=\"11\" fill=\"#555\">\(XMLText.escape(event.label))</text>\n"
        }
        for event in run.events where event.kind == .oneShot {
            svg += "<line class=\"one-shot\" x1=\"\(f(x(event.atNanoseconds)))\" x2=\"\(f(x(event.atNanoseconds)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\" stroke=\"#c00\" stroke-width=\"1.5\" stroke-dasharray=\"6 3\">"
            svg += "<title>\(XMLText.escape(event.label))</title></line>\n"
        }

        let drawn = thinned(run.samples)
        for sample in drawn {
            let cx = f(x(sample.startNanoseconds))
            if sample.ok {
                svg += "<circle class=\"sample ok\" cx=\"\(cx)\" cy=\"\(f(y(sample.latencyMilliseconds ?? 0)))\" r=\"2\" fill=\"#3a6ea5\"/>\n"
            } else {
                let cy = sample.latencyMilliseconds.map(y) ?? top
                svg += "<circle class=\"sample fail\" cx=\"\(cx)\" cy=\"\(f(cy))\" r=\"3\" fill=\"#d11\">"
                svg += "<title>\(XMLText.escape(sample.probe)): \(XMLText.escape(sample.reason ?? "failed"))</title></circle>\n"
            }
        }
        if drawn.count < run.samples.count {
            svg += "<text x=\"\(f(left + plotWidth))\" y=\"\(f(height - 6))\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">"
            svg += "\(drawn.count) of \(run.samples.count) samples drawn (all failures)</text>\n"
        }
        svg += "<text x=\"\(f(left))\" y=\"\(f(height - 6))\" font-size=\"11\" fill=\"#555\">time since start; latency per probe run (red: failed)</text>\n"
        svg += "</svg>"
        return svg
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

    struct Window { var start: UInt64; var end: UInt64; var label: String }

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

    /// Round up to 1, 2 or 5 × 10^n so axis labels are round numbers.
    static func niceCeiling(_ value: Double) -> Double {
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2.0, 5.0, 10.0] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    /// About five round ticks from 0 to `limit`.
    static func ticks(upTo limit: Double) -> [Double] {
        guard limit > 0 else { return [0] }
        let step = niceCeiling(limit / 5)
        return Swift.stride(from: 0.0, through: limit + step * 1e-9, by: step).map { $0 }
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }
}
