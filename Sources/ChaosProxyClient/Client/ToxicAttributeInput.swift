import ChaosCore
import ChaosProxyModel
import Foundation

/// toxiproxy-cli's `-a key=value` attributes, checked against the toxic's type before anything
/// is sent. Toxiproxy ignores an attribute it does not know, so `-a latecy=100` would add a
/// latency toxic of 0 ms: an unknown name is refused, with the closest known one as a hint.
/// A time attribute takes a duration with a unit ("150ms", "2s") besides a bare number in
/// the attribute's own unit (ms, or µs for slicer's `delay`), as toxiproxy-cli takes it.
public enum ToxicAttributeInput {
    /// The attributes of a `type` toxic from `pairs`; throws a usage error naming the pair.
    public static func parse(_ pairs: [String], type typeName: String) throws -> [String: Int64] {
        guard let type = ToxicType(rawValue: typeName) else {
            let known = ToxicType.allCases.map(\.rawValue)
            throw ChaosError("unknown toxic type '\(typeName)'\(NameSuggestion.hint(for: typeName, among: known)); types: \(known.joined(separator: ", "))",
                             exitCode: .usage)
        }
        var result: [String: Int64] = [:]
        for pair in pairs {
            let (name, text) = try split(pair)
            if name == ToxicSeed.attribute {
                result[name] = try number(text, pair: pair, unit: nil, maximum: ToxicSeed.maximum)
                continue
            }
            guard let attribute = type.attributes.first(where: { $0.name == name }) else {
                let known = type.attributes.map(\.name)
                let list = known.isEmpty ? "it takes none" : "its attributes: \(known.joined(separator: ", "))"
                throw ChaosError("-a \(pair): a \(type.rawValue) toxic has no attribute '\(name)'\(NameSuggestion.hint(for: name, among: known)); \(list)",
                                 exitCode: .usage)
            }
            let timeUnit = attribute.unit == "ms" || attribute.unit == "us" ? attribute.unit : nil
            result[name] = try number(text, pair: pair, unit: timeUnit, maximum: attribute.maximum)
        }
        return result
    }

    /// Attribute values by name without a type to check the names against (`toxic update`
    /// of a toxic whose type is not known): whole numbers only.
    public static func parseUntyped(_ pairs: [String]) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for pair in pairs {
            let (name, text) = try split(pair)
            result[name] = try number(text, pair: pair, unit: nil, maximum: Int64.max)
        }
        return result
    }

    private static func split(_ pair: String) throws -> (String, String) {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard parts.count == 2, !name.isEmpty else {
            throw ChaosError("-a \(pair): expected key=value (e.g. -a latency=150)", exitCode: .usage)
        }
        return (name, parts[1].trimmingCharacters(in: .whitespaces))
    }

    /// A whole number in the attribute's unit, or (time units only) a duration converted to it.
    private static func number(_ text: String, pair: String, unit: String?, maximum: Int64) throws -> Int64 {
        let value: Int64
        if let whole = Int64(text) {
            value = whole
        } else if let unit, let seconds = try? DurationParser.seconds(text, field: pair) {
            let scaled = (seconds * (unit == "us" ? 1e6 : 1e3)).rounded()
            guard scaled <= Double(maximum) else { throw outOfRange(pair, maximum: maximum, unit: unit) }
            value = Int64(scaled)
        } else {
            let expected = unit.map { "a number of \($0 == "us" ? "microseconds" : "milliseconds") or a duration such as 150ms" }
                ?? "a whole number"
            throw ChaosError("-a \(pair): '\(text)' is not \(expected)", exitCode: .usage)
        }
        guard value >= 0, value <= maximum else { throw outOfRange(pair, maximum: maximum, unit: unit) }
        return value
    }

    private static func outOfRange(_ pair: String, maximum: Int64, unit: String?) -> ChaosError {
        ChaosError("-a \(pair): must be between 0 and \(maximum)\(unit.map { " \($0)" } ?? "")", exitCode: .usage)
    }
}
