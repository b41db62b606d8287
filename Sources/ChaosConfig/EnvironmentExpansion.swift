import Foundation

/// `${NAME}` and `${NAME:-default}` in experiment files, so one file works against
/// different hosts and ports (CI, a laptop, the embedded demo). Expansion never adds lines,
/// so problem line numbers stay true.
public enum EnvironmentExpansion {
    /// Expand `text`; returns the names that were unset and had no default.
    public static func expand(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> (text: String, missing: [String]) {
        var out = ""
        var missing: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
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
