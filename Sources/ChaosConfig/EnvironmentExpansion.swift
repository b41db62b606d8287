import Foundation
import Yams

/// `${NAME}` and `${NAME:-default}` in experiment files, so one file works against
/// different hosts and ports (CI, a laptop, the embedded demo). `$${` is a literal `${` (a
/// shell variable in a command). References are expanded in the parsed values, never in
/// the text: a value with a quote, a colon or a newline stays one value, a comment is never
/// read, and a problem keeps the value's own line.
public enum EnvironmentExpansion {
    /// A reference to a variable that is unset (or empty) and has no default.
    public struct Missing: Equatable, Sendable {
        public let name: String
        /// The dotted path of the value that holds it, and that value's line.
        public let field: String
        public let line: Int?
    }

    /// Expand every scalar value under `node` (keys are names, not values: left alone).
    /// A value that held a reference becomes a plain scalar, so `"${PORT:-8080}"` (quoted,
    /// as a flow mapping needs) still reads as a number where a number is expected.
    public static func expand(_ node: Node, path: String = "", environment: [String: String])
        -> (node: Node, missing: [Missing]) {
        var missing: [Missing] = []
        let expanded = walk(node, path: path, environment: environment, missing: &missing)
        return (expanded, missing)
    }

    private static func walk(_ node: Node, path: String, environment: [String: String], missing: inout [Missing]) -> Node {
        switch node {
        case .scalar(let scalar):
            guard scalar.string.contains("${") else { return node }
            let (text, names) = expand(scalar.string, environment: environment)
            missing += names.map { Missing(name: $0, field: path, line: scalar.mark?.line) }
            return .scalar(Node.Scalar(text, .implicit, .plain, scalar.mark))
        case .mapping(let mapping):
            let pairs = mapping.map { pair -> (Node, Node) in
                let child = ConfigNode.path(path, pair.key.string ?? "?")
                return (pair.key, walk(pair.value, path: child, environment: environment, missing: &missing))
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            let items = sequence.enumerated().map { offset, item in
                walk(item, path: ConfigNode.path(path, "[\(offset)]"), environment: environment, missing: &missing)
            }
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark))
        case .alias:
            return node
        }
    }

    /// Expand the references in one value; returns the names that were unset (or empty) and
    /// had no default.
    public static func expand(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (text: String, missing: [String]) {
        var out = ""
        var missing: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            // `$${` is the escape: one `$` less, and no lookup.
            if open.lowerBound > rest.startIndex, rest[rest.index(before: open.lowerBound)] == "$" {
                out += rest[..<rest.index(before: open.lowerBound)]
                out += "${"
                rest = rest[open.upperBound...]
                continue
            }
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                rest = ""
                break
            }
            let inner = rest[open.upperBound..<close]
            let parts = inner.components(separatedBy: ":-")
            let name = parts[0]
            let fallback = parts.count > 1 ? parts.dropFirst().joined(separator: ":-") : nil
            if let value = environment[name], !value.isEmpty {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                missing.append(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return (out, missing)
    }
}
