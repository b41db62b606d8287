import Foundation

/// The body rows of a Markdown table in a doc, cell by cell: enough for tests that check a
/// doc's table against the code.
struct MarkdownTable {
    var rows: [[String]]

    /// The table whose header row is exactly `header` (cells without their pipes, trimmed).
    init?(in text: String, header: [String]) {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { Self.cells($0) == header }) else { return nil }
        rows = lines[(start + 1)...].dropFirst()  // the |---| line
            .prefix { $0.hasPrefix("|") }
            .map(Self.cells)
    }

    static func cells(_ line: String) -> [String] {
        guard line.hasPrefix("|") else { return [] }
        return line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The backquoted words of a cell: "`netem` / `tbf`" → netem, tbf.
    static func codeSpans(in cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// The comma-separated names of a cell, after dropping every parenthesised remark and
    /// backquote; `—` alone is none.
    static func names(in cell: String) -> [String] {
        let plain = cell.replacingOccurrences(of: #"\([^)]*\)"#, with: "", options: .regularExpression)
        return plain.replacingOccurrences(of: "`", with: "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != "—" }
    }
}
