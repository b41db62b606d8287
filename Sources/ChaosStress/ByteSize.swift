import Foundation
import ChaosCore

/// Memory sizes as people write them: `256MiB`, `1GiB`, `512m`. Units are binary whatever
/// their spelling, as Docker's `--memory` reads them (docker/go-units `RAMInBytes`: "k",
/// "kb", "kib" all mean 1024); a bare number is refused (bytes or MiB?).
public enum ByteSize {
    private static let units: [(String, UInt64)] = [
        ("b", 1), ("k", 1 << 10), ("kb", 1 << 10), ("kib", 1 << 10), ("m", 1 << 20), ("mb", 1 << 20), ("mib", 1 << 20),
        ("g", 1 << 30), ("gb", 1 << 30), ("gib", 1 << 30), ("t", 1 << 40), ("tb", 1 << 40), ("tib", 1 << 40),
    ]

    public static func bytes(_ text: String) throws -> UInt64 {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        let split = s.firstIndex(where: { !($0.isNumber || $0 == ".") }) ?? s.endIndex
        guard let number = Double(s[..<split]), number.isFinite, number >= 0 else {
            throw ChaosError("is not a size (use a number with a unit: 256MiB, 1GiB, 512k)", exitCode: .usage)
        }
        let unit = s[split...].trimmingCharacters(in: .whitespaces)
        guard !unit.isEmpty else { throw ChaosError("needs a unit (256MiB, 1GiB, 512k): a bare number is ambiguous", exitCode: .usage) }
        guard let scale = units.first(where: { $0.0 == unit })?.1 else {
            throw ChaosError("has an unknown unit '\(unit)' (B, KiB, MiB, GiB, TiB)", exitCode: .usage)
        }
        let value = (number * Double(scale)).rounded()
        guard value < Double(UInt64.max / 2) else { throw ChaosError("is too large", exitCode: .usage) }
        return UInt64(value)
    }

    /// "256 MiB", "1.5 GiB", "512 KiB", "100 B".
    public static func format(_ bytes: UInt64) -> String {
        for (name, scale) in [("TiB", UInt64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= scale {
            let v = Double(bytes) / Double(scale)
            let r = (v * 10).rounded() / 10
            return (r == r.rounded() ? String(Int(r)) : String(r)) + " " + name
        }
        return "\(bytes) B"
    }
}
