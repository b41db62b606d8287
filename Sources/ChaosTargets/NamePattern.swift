import ChaosCore
import Foundation

/// A container name pattern: a shell glob ("web-*", "db-[12]") by default, or a regular
/// expression when written as "re:PATTERN" (matched against the whole name).
public struct NamePattern: Sendable, CustomStringConvertible {
    public let text: String
    private let regex: NSRegularExpression

    public init(_ text: String) throws {
        self.text = text
        let source: String
        if text.hasPrefix("re:") {
            source = "^(?:" + text.dropFirst(3) + ")$"
        } else {
            source = "^" + Self.globToRegex(text) + "$"
        }
        do {
            regex = try NSRegularExpression(pattern: source)
        } catch {
            throw ChaosError("--name '\(text)' is not a valid pattern: \(error.localizedDescription)", exitCode: .usage)
        }
    }

    public func matches(_ name: String) -> Bool {
        let n = name.hasPrefix("/") ? String(name.dropFirst()) : name
        return regex.firstMatch(in: n, range: NSRange(n.startIndex..., in: n)) != nil
    }

    public var description: String { text }

    /// `*` any run, `?` one character, `[...]` a class; everything else literal.
    static func globToRegex(_ glob: String) -> String {
        var out = ""
        var inClass = false
        for ch in glob {
            if inClass {
                if ch == "]" { inClass = false; out += "]" }
                else if ch == "\\" { out += "\\\\" }
                else { out.append(ch) }
                continue
            }
            switch ch {
            case "*": out += ".*"
            case "?": out += "."
            case "[": inClass = true; out += "["
            default: out += NSRegularExpression.escapedPattern(for: String(ch))
            }
        }
        if inClass { out += "]" }
        return out
    }
}
