/// Something wrong with a generator's output, named so a person can find it: the file, the
/// line when there is one, and what was wrong.
public struct LoadProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Effect: String, Codable, Sendable {
        /// Data is missing or cannot be placed in time: results that depend on it are not measured.
        case lostData = "lost_data"
        /// Worth telling, but every number is still complete (an extra CSV column, k6 exit 99).
        case note
    }

    public var source: String
    public var line: Int?
    public var message: String
    public var effect: Effect

    public init(source: String, line: Int? = nil, message: String, effect: Effect = .lostData) {
        self.source = source
        self.line = line
        self.message = message
        self.effect = effect
    }

    public var description: String {
        if let line { return "\(source):\(line): \(message)" }
        return "\(source): \(message)"
    }
}

/// Malformed lines are counted all, but only the first few are kept word for word, so a
/// broken file of millions of lines cannot fill memory with messages.
struct ProblemLog: Sendable {
    static let keptPerKind = 5
    private(set) var problems: [LoadProblem] = []
    private(set) var unreadableLines = 0
    private(set) var firstUnreadableLine: Int?
    private let source: String

    init(source: String) { self.source = source }

    mutating func unreadable(line: Int, _ message: String) {
        unreadableLines += 1
        if firstUnreadableLine == nil { firstUnreadableLine = line }
        if unreadableLines <= Self.keptPerKind {
            problems.append(LoadProblem(source: source, line: line, message: message))
        }
    }

    mutating func add(_ problem: LoadProblem) { problems.append(problem) }

    /// Every problem, with a closing count when more lines were unreadable than were kept.
    var all: [LoadProblem] {
        guard unreadableLines > Self.keptPerKind else { return problems }
        return problems + [LoadProblem(source: source, message:
            "\(unreadableLines) unreadable lines in all (only the first \(Self.keptPerKind) are shown); " +
            "their requests are missing from every result")]
    }
}
