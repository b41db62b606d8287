import Foundation

/// Small builders for the SVG elements the timeline uses, so coordinates are formatted
/// one way and every label is escaped.
enum SVG {
    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    static func rect(x: Double, y: Double, width: Double, height: Double, fill: String, attributes: String = "",
                     title: String? = nil) -> String {
        let open = "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(width, 0)))\" height=\"\(n(max(height, 0)))\" fill=\"\(fill)\" \(attributes)"
        return close(open, "rect", title: title)
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, attributes: String = "",
                     title: String? = nil) -> String {
        let open = "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" \(attributes)"
        return close(open, "line", title: title)
    }

    static func text(_ content: String, x: Double, y: Double, fill: String = ChartPalette.text, anchor: String = "start",
                     attributes: String = "") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"11\" fill=\"\(fill)\" text-anchor=\"\(anchor)\" \(attributes)>\(XMLText.escape(content))</text>\n"
    }

    /// A `<path>` of polylines; `nil` points break the line (no data there). A point alone
    /// between gaps is drawn as a dot (a zero-length segment with round caps).
    static func path(_ points: [(Double, Double)?], stroke: String, attributes: String = "") -> String {
        var runs: [[(Double, Double)]] = [[]]
        for point in points {
            if let point { runs[runs.count - 1].append(point) } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
        }
        let d = runs.filter { !$0.isEmpty }.map { run in
            "M" + run.map { "\(n($0.0)) \(n($0.1))" }.joined(separator: " L") + (run.count == 1 ? " l0.01 0" : "")
        }.joined(separator: " ")
        return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\" stroke-linecap=\"round\" \(attributes)/>\n"
    }

    private static func close(_ open: String, _ element: String, title: String?) -> String {
        guard let title else { return open + "/>\n" }
        return open + "><title>\(XMLText.escape(title))</title></\(element)>\n"
    }
}
