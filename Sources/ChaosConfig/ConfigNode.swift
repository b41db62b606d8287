import ChaosCore
import Foundation
import Yams

/// A YAML (or JSON, which is YAML) node that knows its file, line and dotted path, with
/// typed accessors that record a located problem instead of failing on the first one.
public struct ConfigNode {
    public let node: Node
    public let path: String
    public let diagnostics: ConfigDiagnostics

    public var line: Int? { node.mark?.line }

    /// Parse `text` from `file`. A syntax error becomes one located problem.
    public static func parse(_ text: String, file: String) throws -> ConfigNode {
        let diagnostics = ConfigDiagnostics(file: file)
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw ConfigErrors([ConfigProblem(file: file, line: nil, field: "", value: nil, message: "the file is empty")])
            }
            return ConfigNode(node: root, path: "", diagnostics: diagnostics)
        } catch let error as YamlError {
            throw ConfigErrors([ConfigProblem(file: file, line: Self.line(of: error), field: "", value: nil,
                                              message: "not valid YAML/JSON: \(error)")])
        }
    }

    /// Parse `text` from `file` and expand `${NAME}` references in its values from
    /// `environment` (EnvironmentExpansion). Every reference that cannot be expanded is a
    /// located problem.
    public static func parse(_ text: String, file: String, environment: [String: String]) throws -> ConfigNode {
        let parsed: ConfigNode
        do { parsed = try parse(text, file: file) } catch var errors as ConfigErrors {
            errors.problems = errors.problems.map { unquotedReferenceHint($0, text: text) }
            throw errors
        }
        let (node, missing) = EnvironmentExpansion.expand(parsed.node, environment: environment)
        if !missing.isEmpty {
            throw ConfigErrors(missing.map {
                ConfigProblem(file: file, line: $0.line, field: $0.field, value: "${\($0.name)}",
                              message: "environment variable \($0.name) is not set and has no default (write ${\($0.name):-default}, or $${ for a literal ${)")
            })
        }
        return ConfigNode(node: node, path: "", diagnostics: parsed.diagnostics)
    }

    /// A `${NAME}` left unquoted inside `{ }` or `[ ]` is not YAML (braces end the value there).
    private static func unquotedReferenceHint(_ problem: ConfigProblem, text: String) -> ConfigProblem {
        guard let line = problem.line, line >= 1 else { return problem }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line <= lines.count, lines[line - 1].contains("${") else { return problem }
        var hinted = problem
        hinted.message += " (inside { } or [ ], quote a reference: \"${NAME}\")"
        return hinted
    }

    /// Largest file `load` reads by default (fault profiles): a profile lists a few flags.
    public static let maximumFileBytes = 1 << 20

    /// Read and parse a file; a missing, unreadable or too large file is a clear error.
    public static func load(file: String, what: String = "file", limit: Int = maximumFileBytes) throws -> ConfigNode {
        let data: Data
        do { data = try InputFile.read(file, what: what, limit: limit) } catch is InputFile.Unreadable {
            throw ChaosError("\(file): cannot read the file (missing or not readable)", exitCode: .usage)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ChaosError("\(file): not UTF-8 text", exitCode: .usage)
        }
        return try parse(text, file: file)
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    private func child(_ node: Node, _ key: String) -> ConfigNode {
        ConfigNode(node: node, path: Self.path(path, key), diagnostics: diagnostics)
    }

    /// The dotted path of `key` (a mapping key, or "[i]" for a list item) under `parent`:
    /// `method.[0].flag`.
    static func path(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : "\(parent).\(key)"
    }

    public func problem(_ message: String, value: String? = nil) {
        diagnostics.report(line: line, field: path, value: value ?? scalarText, message)
    }

    private var scalarText: String? { node.scalar?.string }

    // MARK: structure

    /// The mapping's entries in file order, or nil (with a problem) if this is not a mapping.
    public func entries() -> [(key: String, value: ConfigNode)]? {
        guard let mapping = node.mapping else {
            problem("expected a mapping (key: value pairs)")
            return nil
        }
        return mapping.map { (key: $0.key.string ?? "\($0.key)", value: child($0.value, $0.key.string ?? "?")) }
    }

    public func items() -> [ConfigNode]? {
        guard let sequence = node.sequence else {
            problem("expected a list")
            return nil
        }
        return sequence.enumerated().map { child($0.element, "[\($0.offset)]") }
    }

    public subscript(key: String) -> ConfigNode? {
        guard let mapping = node.mapping, let value = mapping[key] else { return nil }
        return child(value, key)
    }

    /// Report keys not in `allowed` (typos must not be ignored silently).
    public func checkKeys(_ allowed: Set<String>) {
        guard let mapping = node.mapping else { return }
        for (key, value) in mapping {
            let name = key.string ?? "\(key)"
            if !allowed.contains(name) {
                let suggestion = NameSuggestion.hint(for: name, among: allowed)
                diagnostics.report(line: key.mark?.line ?? value.mark?.line, field: path.isEmpty ? name : "\(path).\(name)",
                                   value: nil, "unknown field\(suggestion); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
        }
    }

    // MARK: scalars

    public var isNull: Bool { node.null != nil }

    public func string() -> String? {
        guard case .scalar(let s) = node else { problem("expected a text value"); return nil }
        return s.string
    }

    public func int(in range: ClosedRange<Int>? = nil) -> Int? {
        guard let v = node.int else { problem("expected a whole number"); return nil }
        if let range, !range.contains(v) { problem("out of range \(range.lowerBound)-\(range.upperBound)"); return nil }
        return v
    }

    public func double(in range: ClosedRange<Double>? = nil) -> Double? {
        guard let v = node.float ?? node.int.map(Double.init), v.isFinite else { problem("expected a number"); return nil }
        if let range, !range.contains(v) { problem("out of range \(Self.trim(range.lowerBound))-\(Self.trim(range.upperBound))"); return nil }
        return v
    }

    public func bool() -> Bool? {
        guard let v = node.bool else { problem("expected true or false"); return nil }
        return v
    }

    /// A duration such as "150ms", "15m"; a bare number uses `defaultUnit` when given.
    public func seconds(defaultUnit: String? = nil) -> Double? {
        guard let text = scalarText else { problem("expected a duration such as 150ms or 15m"); return nil }
        do { return try DurationParser.seconds(text, field: path, defaultUnit: defaultUnit) }
        catch { problem("not a duration (use a number with a unit: 250us, 100ms, 1.5s, 15m, 2h)"); return nil }
    }

    /// One of `choices`, exactly (a near miss gets a "did you mean").
    public func choice(_ choices: [String]) -> String? {
        guard let text = string() else { return nil }
        guard choices.contains(text) else {
            problem("must be one of \(choices.joined(separator: ", "))" + NameSuggestion.hint(for: text, among: choices))
            return nil
        }
        return text
    }

    private static func trim(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}
