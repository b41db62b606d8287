import Foundation

/// Regular expressions for stdout and body checks: compiled once when the probe is built.
enum ProbeRegex {
    static func compile(_ pattern: String, field: String) throws -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern, options: [])
        } catch {
            throw ProbeConfigurationError("\(field): '\(pattern)' is not a valid regular expression")
        }
    }

    /// True when the pattern matches anywhere in the text.
    static func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, options: [], range: NSRange(text.startIndex..., in: text)) != nil
    }
}
