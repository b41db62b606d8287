/// One row of Locust's `PREFIX_stats_history.csv` (written with `--csv PREFIX
/// --csv-full-history`, once a second per request name plus an "Aggregated" row).
/// Counts are cumulative since the start; percentiles are over Locust's recent window
/// (`CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW`, 10 s by default), not since the start.
public struct LocustHistoryRow: Sendable, Equatable {
    /// Whole seconds since the Unix epoch, Locust's wall clock.
    public var timestamp: Int64
    /// "Aggregated" for the all-requests row.
    public var name: String
    public var method: String
    public var totalRequests: Int
    public var totalFailures: Int
    /// Windowed percentiles in ms; nil where Locust wrote "N/A" (nothing in the window).
    public var p50Milliseconds: Double?
    public var p95Milliseconds: Double?
    public var p99Milliseconds: Double?

    public var isAggregate: Bool { name == "Aggregated" }
}

/// Reads `_stats_history.csv` as Locust appends to it. The header must name every column
/// this reader uses and no column it does not know (else the file is refused, naming them:
/// nothing is measured from it, so the load verdict says "not measured", never a pass).
/// Recorded from Locust 2.47.0: Tests/ChaosLoadTests/Fixtures/locust-2.47.0_stats_history.csv.
public final class LocustHistoryReader {
    static let required = ["Timestamp", "Type", "Name", "Total Request Count", "Total Failure Count", "50%", "95%", "99%"]
    static let known: Set<String> = Set(required + [
        "User Count", "Requests/s", "Failures/s", "66%", "75%", "80%", "90%", "98%", "99.9%", "99.99%", "100%",
        "Total Median Response Time", "Total Average Response Time", "Total Min Response Time",
        "Total Max Response Time", "Total Average Content Size",
    ])

    public let path: String
    public private(set) var rows: [LocustHistoryRow] = []
    public private(set) var counts = IngestCounts()
    private let tailer: LineTailer
    private var log: ProblemLog
    private var columns: [String: Int]?
    /// Fields per row: the header's count.
    private var width = 0
    private var refused = false

    public init(path: String) {
        self.path = path
        tailer = LineTailer(path: path)
        log = ProblemLog(source: path)
    }

    public var problems: [LoadProblem] { log.all }
    /// False when the header lacked a needed column: the file gives no result at all.
    public var usable: Bool { !refused }

    /// Reads the rows appended since the last call; returns how many were added.
    @discardableResult
    public func poll() -> Int {
        guard !refused else { return 0 }
        let before = rows.count
        do {
            try tailer.poll { bytes, number in
                guard !refused else { return }
                counts.lines += 1
                let line = Substring(String(decoding: bytes, as: UTF8.self))
                if columns == nil { readHeader(line, number: number); return }
                if let row = self.row(line, number: number) {
                    rows.append(row)
                    if row.isAggregate { counts.requests = row.totalRequests } else { counts.otherLines += 1 }
                } else {
                    counts.unreadableLines += 1
                }
            }
        } catch {
            refused = true
            log.add(LoadProblem(source: path, message: "\(error); reading stopped there"))
        }
        return rows.count - before
    }

    public func finish() {
        poll()
        // A refused file is read no further: a line cut where the reading stopped is not news.
        if !refused, let (bytes, line) = tailer.finish() {
            counts.unreadableLines += 1
            log.unreadable(line: line, "last line cut short (no newline): '\(String(decoding: bytes.prefix(80), as: UTF8.self))'")
        }
        if !tailer.fileSeen {
            log.add(LoadProblem(source: path, message: "Locust never created this file: no request was measured"))
        } else if columns != nil && rows.isEmpty && !refused {
            log.add(LoadProblem(source: path, message: "Locust wrote a header but no row: no request was measured"))
        } else if counts.lines == 0 {
            log.add(LoadProblem(source: path, message: "Locust wrote nothing to this file: no request was measured"))
        }
    }

    private func readHeader(_ line: Substring, number: Int) {
        let names = CSVLine.fields(line) ?? []
        func quoted(_ list: [String]) -> String { list.map { "'\($0)'" }.joined(separator: ", ") }
        /// Refuses the whole file: its rows cannot be read for sure.
        func refuse(_ why: String) {
            refused = true
            log.add(LoadProblem(source: path, line: number, message: why + "; nothing is measured from this file"))
        }
        let missing = Self.required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            return refuse("not a Locust --csv-full-history stats history: column(s) \(quoted(missing)) missing from the header")
        }
        let doubled = Self.required.filter { name in names.filter { $0 == name }.count > 1 }
        guard doubled.isEmpty else {
            return refuse("column(s) \(quoted(doubled)) appear more than once in the header, so which one holds the figure is unclear")
        }
        // Refused, not ignored: a header chaosctl does not know may mean the known columns
        // changed meaning too, and a load verdict must never pass on a guess (issue #13).
        let unknown = names.filter { !Self.known.contains($0) }
        guard unknown.isEmpty else {
            return refuse("unknown column(s) \(quoted(unknown)) in the header: not the stats-history layout chaosctl " +
                          "reads (Locust 2.x, recorded from 2.47.0), so its figures cannot be trusted")
        }
        columns = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        width = names.count
    }

    private func row(_ line: Substring, number: Int) -> LocustHistoryRow? {
        // As many fields as the header names (not as distinct names: an unknown column may repeat).
        guard let columns, let fields = CSVLine.fields(line), fields.count == width else {
            log.unreadable(line: number, "expected \(width) comma-separated fields: '\(line.prefix(80))'")
            return nil
        }
        func field(_ name: String) -> String { fields[columns[name]!] }
        func percentile(_ name: String) -> Double?? {
            let text = field(name)
            if text == "N/A" { return .some(nil) }
            return Double(text).map { .some($0) }
        }
        guard let timestamp = Int64(field("Timestamp")), let total = Int(field("Total Request Count")),
              let failures = Int(field("Total Failure Count")), total >= 0, failures >= 0,
              let p50 = percentile("50%"), let p95 = percentile("95%"), let p99 = percentile("99%") else {
            log.unreadable(line: number, "a count, time or percentile is not a number: '\(line.prefix(80))'")
            return nil
        }
        return LocustHistoryRow(timestamp: timestamp, name: field("Name"), method: field("Type"),
                                totalRequests: total, totalFailures: failures,
                                p50Milliseconds: p50, p95Milliseconds: p95, p99Milliseconds: p99)
    }
}
