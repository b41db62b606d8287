/// Which HTTP statuses count as healthy: "200", "200-299", "2xx", or a list "200,204".
public struct StatusExpectation: Sendable, Equatable, CustomStringConvertible {
    public var ranges: [ClosedRange<Int>]
    public let description: String

    /// Any 2xx.
    public static let success = try! StatusExpectation("200-299")

    public init(_ text: String) throws {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            ranges.append(try Self.parse(part, whole: text))
        }
        guard !ranges.isEmpty else { throw ProbeConfigurationError("expected status: '\(text)' is empty") }
        self.ranges = ranges
        self.description = text.replacingOccurrences(of: " ", with: "")
    }

    public func accepts(_ status: Int) -> Bool { ranges.contains { $0.contains(status) } }

    private static func parse(_ part: String, whole: String) throws -> ClosedRange<Int> {
        let bad = ProbeConfigurationError("expected status: '\(whole)' is not a status, a range like 200-299, or a class like 2xx")
        let lower = part.lowercased()
        if lower.count == 3, lower.hasSuffix("xx"), let digit = Int(lower.prefix(1)), (1...5).contains(digit) {
            return (digit * 100)...(digit * 100 + 99)
        }
        let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count),
              let low = Int(bounds[0]), let high = Int(bounds.last!),
              (100...599).contains(low), (100...599).contains(high), low <= high else { throw bad }
        return low...high
    }
}
