/// The timeline's legend: one item per kind of mark actually drawn (nothing is explained
/// that the chart does not show), laid out in rows across the top.
struct ChartLegend {
    enum Symbol { case area(opacity: String), dot, cross, line(dashed: Bool) }
    struct Item { var label: String; var colour: String; var symbol: Symbol }

    var items: [Item] = []

    mutating func add(_ label: String, _ colour: String, _ symbol: Symbol) {
        items.append(Item(label: label, colour: colour, symbol: symbol))
    }

    /// Rough width of 11 px text, for wrapping; the browser's real widths are close to it.
    static func textWidth(_ text: String) -> Double { Double(text.count) * 6.2 }

    /// The items as SVG, wrapped into rows `rowHeight` apart from `top`; returns the SVG and
    /// the y just below the last row.
    func render(left: Double, top: Double, width: Double, rowHeight: Double = 18) -> (svg: String, bottom: Double) {
        guard !items.isEmpty else { return ("", top) }
        var svg = "", x = left, y = top + rowHeight / 2
        for item in items {
            let itemWidth = 22 + Self.textWidth(item.label) + 18
            if x > left && x + itemWidth > left + width { x = left; y += rowHeight }
            svg += "<g class=\"legend-item\" transform=\"translate(\(SVG.n(x)),\(SVG.n(y)))\">"
            svg += swatch(item) + SVG.text(item.label, x: 22, y: 4) + "</g>\n"
            x += itemWidth
        }
        return (svg, y + rowHeight / 2)
    }

    /// Drawn in the item's own coordinates: 16 × 12 px centred on y = 0.
    private func swatch(_ item: Item) -> String {
        switch item.symbol {
        case .area(let opacity):
            return SVG.rect(x: 0, y: -6, width: 16, height: 12, fill: item.colour,
                            attributes: "class=\"legend-swatch\" fill-opacity=\"\(opacity)\" stroke=\"\(ChartPalette.frame)\"")
        case .dot:
            return "<circle class=\"legend-swatch\" cx=\"8\" cy=\"0\" r=\"4\" fill=\"\(item.colour)\"/>"
        case .cross:
            return "<path class=\"legend-swatch\" d=\"M3 -5 L13 5 M3 5 L13 -5\" stroke=\"\(item.colour)\" stroke-width=\"2.5\"/>"
        case .line(let dashed):
            return SVG.line(0, 0, 16, 0, stroke: item.colour,
                            attributes: "class=\"legend-swatch\" stroke-width=\"3\"\(dashed ? " stroke-dasharray=\"6 2\"" : "")")
        }
    }
}
