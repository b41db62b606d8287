import Foundation

/// A tolerance on a number: "< 0.01", "<= 250", "> 3", ">= 3", "== 1", a range "0.5..2"
/// (inclusive), and a percent suffix for ratios ("< 1%" is "< 0.01").
/// NaN never satisfies a condition: a query that yields NaN is not healthy.
public enum NumericCondition: Sendable, Equatable, CustomStringConvertible {
    case lessThan(Double)
    case atMost(Double)
    case greaterThan(Double)
    case atLeast(Double)
    case equal(Double)
    case within(ClosedRange<Double>)

    public func holds(for value: Double) -> Bool {
        guard !value.isNaN else { return false }
        switch self {
        case .lessThan(let limit): return value < limit
        case .atMost(let limit): return value <= limit
        case .greaterThan(let limit): return value > limit
        case .atLeast(let limit): return value >= limit
        case .equal(let target): return value == target
        case .within(let range): return range.contains(value)
        }
    }

    public var description: String {
        switch self {
        case .lessThan(let v): return "< \(Self.format(v))"
        case .atMost(let v): return "<= \(Self.format(v))"
        case .greaterThan(let v): return "> \(Self.format(v))"
        case .atLeast(let v): return ">= \(Self.format(v))"
        case .equal(let v): return "== \(Self.format(v))"
        case .within(let r): return "\(Self.format(r.lowerBound))..\(Self.format(r.upperBound))"
        }
    }

    /// Parse the text form; throws ``ProbeConfigurationError`` on anything else.
    public init(_ text: String) throws {
        let s = text.trimmingCharacters(in: .whitespaces)
        let bad = ProbeConfigurationError("condition '\(text)': use <, <=, >, >=, == with a number, or a range like 0.5..2")
        // Longest operators first so "<=" is not read as "<".
        for (op, make) in [("<=", Self.atMost), (">=", Self.atLeast), ("==", Self.equal),
                           ("<", Self.lessThan), (">", Self.greaterThan)] as [(String, (Double) -> Self)] {
            if s.hasPrefix(op) {
                guard let v = Self.number(String(s.dropFirst(op.count))) else { throw bad }
                self = make(v)
                return
            }
        }
        let bounds = s.components(separatedBy: "..")
        guard bounds.count == 2, let low = Self.number(bounds[0]), let high = Self.number(bounds[1]), low <= high else {
            throw bad
        }
        self = .within(low...high)
    }

    private static func number(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") { return Double(t.dropLast()).map { $0 / 100 } }
        guard let v = Double(t), v.isFinite else { return nil }
        return v
    }

    private static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
