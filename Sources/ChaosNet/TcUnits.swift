import ChaosCore
import Foundation

/// Numbers as `tc` writes them, converted to what the kernel wants. The unit tables follow
/// tc(8): rates are 1000-based ("kbit" = 1000 bit/s, "kibit" = 1024), sizes are 1024-based
/// ("k"/"kb" = 1024 bytes, "kbit" = 128 bytes), a bare time is microseconds, and a bare rate
/// is bits per second. Unit names are case-insensitive, as in tc.
public enum TcUnits {
    public struct Invalid: ChaosFailure {
        public var field: String
        public var text: String
        public var reason: String
        public var exitCode: ExitCode { .usage }
        public var description: String { "\(field): '\(text)' \(reason)" }
    }

    /// 100 % in the kernel's fixed-point probability: iproute2 scales p/100 by UINT32_MAX.
    public static let percentScale = Double(UInt32.max)

    /// "5%", "0.1%", or a bare fraction-free number meaning percent ("5" = 5 %), to the
    /// kernel's u32 probability. More than 100 % or negative is refused.
    public static func probability(_ text: String, field: String) throws -> UInt32 {
        let s = text.trimmingCharacters(in: .whitespaces)
        let digits = s.hasSuffix("%") ? String(s.dropLast()) : s
        guard let value = Double(digits), value.isFinite else {
            throw Invalid(field: field, text: text, reason: "is not a percentage (e.g. 5%, 0.1%)")
        }
        guard value >= 0, value <= 100 else {
            throw Invalid(field: field, text: text, reason: "is out of range (0% to 100%)")
        }
        return scalePercent(value)
    }

    /// Percent (0…100) to the kernel's u32, rounding to nearest-even as rint() does in tc.
    public static func scalePercent(_ percent: Double) -> UInt32 {
        let scaled = (percent / 100 * percentScale).rounded(.toNearestOrEven)
        return UInt32(min(max(scaled, 0), percentScale))
    }

    /// Kernel u32 probability back to percent, for display.
    public static func percent(_ scaled: UInt32) -> Double { Double(scaled) / percentScale * 100 }

    private static let rateUnits: [(String, Double)] = [
        ("bit", 1), ("kbit", 1e3), ("mbit", 1e6), ("gbit", 1e9), ("tbit", 1e12),
        ("kibit", 1024), ("mibit", 1_048_576), ("gibit", 1_073_741_824), ("tibit", 1_099_511_627_776),
        ("bps", 8), ("kbps", 8e3), ("mbps", 8e6), ("gbps", 8e9), ("tbps", 8e12),
        ("kibps", 8 * 1024), ("mibps", 8 * 1_048_576), ("gibps", 8 * 1_073_741_824),
        ("tibps", 8 * 1_099_511_627_776),
    ]

    /// A rate ("1mbit", "512kbit", "10MBps", bare = bit/s) to bytes per second.
    public static func rate(_ text: String, field: String) throws -> UInt64 {
        let (value, unit) = try split(text, field: field, what: "a rate (e.g. 1mbit, 512kbit, 10mbps)")
        let bitsPerUnit: Double
        if unit.isEmpty { bitsPerUnit = 1 } else {
            guard let u = rateUnits.first(where: { $0.0 == unit }) else {
                throw Invalid(field: field, text: text, reason: "has an unknown rate unit '\(unit)' (bit, kbit, mbit, gbit, kibit…, bps, kbps, mbps…)")
            }
            bitsPerUnit = u.1
        }
        let bytes = (value * bitsPerUnit / 8).rounded()
        guard bytes >= 1, bytes < 1.8e19 else {
            throw Invalid(field: field, text: text, reason: "is out of range (at least 8bit, below 2^64 bytes/s)")
        }
        return UInt64(bytes)
    }

    private static let sizeUnits: [(String, Double)] = [
        ("b", 1), ("k", 1024), ("kb", 1024), ("m", 1_048_576), ("mb", 1_048_576),
        ("g", 1_073_741_824), ("gb", 1_073_741_824),
        ("kbit", 1024 / 8), ("mbit", 1_048_576 / 8), ("gbit", 1_073_741_824 / 8),
    ]

    /// A size ("32kbit", "10k", "1500", "1mb") to bytes; tc's 1024-based table.
    public static func size(_ text: String, field: String) throws -> UInt32 {
        let (value, unit) = try split(text, field: field, what: "a size (e.g. 1500, 10k, 32kbit)")
        let scale: Double
        if unit.isEmpty { scale = 1 } else {
            guard let u = sizeUnits.first(where: { $0.0 == unit }) else {
                throw Invalid(field: field, text: text, reason: "has an unknown size unit '\(unit)' (b, k/kb, m/mb, g/gb, kbit, mbit, gbit)")
            }
            scale = u.1
        }
        let bytes = (value * scale).rounded()
        guard bytes <= Double(UInt32.max) else {
            throw Invalid(field: field, text: text, reason: "is too large (at most 4GiB)")
        }
        return UInt32(bytes)
    }

    /// A time ("100ms", "20us", "1.5s", bare = microseconds as in tc) to nanoseconds.
    public static func time(_ text: String, field: String) throws -> UInt64 {
        let seconds: Double
        do { seconds = try DurationParser.seconds(text, field: field, defaultUnit: "us") } catch {
            throw Invalid(field: field, text: text, reason: "is not a time (e.g. 100ms, 250us, 1.5s)")
        }
        let ns = (seconds * 1e9).rounded()
        // The kernel keeps netem delays as s64 nanoseconds.
        guard ns < Double(Int64.max) else {
            throw Invalid(field: field, text: text, reason: "is too long")
        }
        return UInt64(ns)
    }

    /// A plain unsigned integer (packet counts, seeds).
    public static func integer<T: FixedWidthInteger>(_ text: String, field: String, as: T.Type = T.self) throws -> T {
        guard let v = T(text.trimmingCharacters(in: .whitespaces)) else {
            throw Invalid(field: field, text: text, reason: "is not a whole number in range \(T.min)…\(T.max)")
        }
        return v
    }

    private static func split(_ text: String, field: String, what: String) throws -> (Double, String) {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        let end = s.firstIndex(where: { !($0.isNumber || $0 == ".") }) ?? s.endIndex
        guard end != s.startIndex, let value = Double(s[s.startIndex..<end]), value.isFinite, value >= 0 else {
            throw Invalid(field: field, text: text, reason: "is not \(what)")
        }
        return (value, String(s[end...]))
    }

    // MARK: display, in tc's style

    public static func formatRate(bytesPerSecond: UInt64) -> String {
        let bits = Double(bytesPerSecond) * 8
        for (unit, scale) in [("Gbit", 1e9), ("Mbit", 1e6), ("Kbit", 1e3)] where bits >= scale {
            return trim(bits / scale) + unit
        }
        return trim(bits) + "bit"
    }

    public static func formatTime(ns: UInt64) -> String {
        if ns >= 1_000_000_000 { return trim(Double(ns) / 1e9) + "s" }
        if ns >= 1_000_000 { return trim(Double(ns) / 1e6) + "ms" }
        return trim(Double(ns) / 1e3) + "us"
    }

    public static func formatPercent(_ scaled: UInt32) -> String { trim(percent(scaled)) + "%" }

    public static func formatSize(bytes: UInt32) -> String {
        if bytes >= 1_048_576 && bytes % 1024 == 0 { return trim(Double(bytes) / 1_048_576) + "Mb" }
        if bytes >= 1024 { return trim(Double(bytes) / 1024) + "Kb" }
        return "\(bytes)b"
    }

    static func trim(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        return r == r.rounded() ? String(Int64(r)) : String(r)
    }
}
