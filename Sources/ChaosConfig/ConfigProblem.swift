import ChaosCore

/// One problem in a YAML or JSON input file, located precisely enough to fix without
/// guessing: file, line, the dotted field path, and the offending value.
public struct ConfigProblem: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String
    public var value: String?
    public var message: String

    public init(file: String, line: Int?, field: String, value: String?, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.message = message
    }

    public var description: String {
        var out = file
        if let line { out += ":\(line)" }
        out += ": \(field.isEmpty ? "(document)" : field)"
        if let value { out += ": '\(value)'" }
        return out + ": " + message
    }
}

/// Every problem found in a file, reported together so one edit can fix them all.
public struct ConfigErrors: ChaosFailure {
    public var problems: [ConfigProblem]
    public init(_ problems: [ConfigProblem]) { self.problems = problems }
    public var exitCode: ExitCode { .usage }
    public var description: String {
        problems.count == 1 ? problems[0].description
            : "\(problems.count) problems:\n" + problems.map { "  " + $0.description }.joined(separator: "\n")
    }
}

/// Collects problems while a file is read, so validation goes on past the first one.
public final class ConfigDiagnostics {
    public let file: String
    public private(set) var problems: [ConfigProblem] = []
    public init(file: String) { self.file = file }

    public func report(line: Int?, field: String, value: String?, _ message: String) {
        problems.append(ConfigProblem(file: file, line: line, field: field, value: value, message: message))
    }

    /// Throw everything collected, if anything.
    public func throwIfAny() throws {
        if !problems.isEmpty { throw ConfigErrors(problems) }
    }
}
