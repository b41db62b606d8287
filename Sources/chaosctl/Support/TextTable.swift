import ChaosProxyModel

/// Left-aligned columns for human output. Control characters in cells are made visible,
/// so a name from a file or a server cannot break a row.
struct TextTable {
    let headers: [String]
    private var rows: [[String]] = []
    init(headers: [String]) { self.headers = headers }
    mutating func add(_ row: [String]) { rows.append(row.map(\.escapingControlCharacters)) }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
