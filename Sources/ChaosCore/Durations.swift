import Foundation

/// Durations as people and `tc` write them: "250us", "100ms", "1.5s", "15m", "2h", "1h30m".
/// A bare number is refused (is "100" seconds or milliseconds?) unless a default unit is given.
public enum DurationParser {
    public struct Invalid: ChaosFailure {
        public var text: String
        public var field: String
        public var exitCode: ExitCode { .usage }
        public var description: String {
            "\(field): '\(text)' is not a duration (use a number with a unit: 250us, 100ms, 1.5s, 15m, 2h, 1h30m)"
        }
    }

    private static let units: [(String, Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("usec", 1e-6), ("ms", 1e-3), ("msec", 1e-3),
        ("s", 1), ("sec", 1), ("secs", 1), ("m", 60), ("min", 60), ("h", 3600), ("d", 86400),
    ]

    /// Parse to seconds. `defaultUnit` (e.g. "ms") applies to a bare number.
    public static func seconds(_ text: String, field: String = "duration", defaultUnit: String? = nil) throws -> Double {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !s.isEmpty else { throw Invalid(text: text, field: field) }
        if let bare = Double(s) {
            guard let unit = defaultUnit, let scale = units.first(where: { $0.0 == unit })?.1,
                  bare.isFinite, bare >= 0 else { throw Invalid(text: text, field: field) }
            return bare * scale
        }
        // A sequence of <number><unit> terms: "1h30m", "1m30s".
        var total = 0.0
        var rest = Substring(s)
        while !rest.isEmpty {
            let numberEnd = rest.firstIndex(where: { !($0.isNumber || $0 == ".") }) ?? rest.endIndex
            guard numberEnd != rest.startIndex, let value = Double(rest[rest.startIndex..<numberEnd]) else {
                throw Invalid(text: text, field: field)
            }
            rest = rest[numberEnd...]
            let unitEnd = rest.firstIndex(where: { $0.isNumber || $0 == "." }) ?? rest.endIndex
            let unit = String(rest[rest.startIndex..<unitEnd])
            guard let scale = units.first(where: { $0.0 == unit })?.1 else { throw Invalid(text: text, field: field) }
            total += value * scale
            rest = rest[unitEnd...]
        }
        guard total.isFinite, total >= 0 else { throw Invalid(text: text, field: field) }
        return total
    }

    /// Render seconds compactly for humans: "150ms", "2.5s", "15m", "1h30m".
    public static func format(_ seconds: Double) -> String {
        if seconds < 0.001 { return "\(Int((seconds * 1e6).rounded()))us" }
        if seconds < 1 { return trim(seconds * 1000) + "ms" }
        if seconds < 60 { return trim(seconds) + "s" }
        let total = Int(seconds.rounded())
        let h = total / 3600, m = (total % 3600) / 60, s = total % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if s > 0 || out.isEmpty { out += "\(s)s" }
        return out
    }

    private static func trim(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
