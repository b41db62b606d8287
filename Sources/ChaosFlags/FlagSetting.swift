import Foundation

/// What a user asked for one flag, from the command line or a profile, before it becomes a
/// control-file flag. Range checks happen in ChaosControl's validation so the CLI, profiles
/// and the file itself share one set of rules.
public struct FlagSetting: Equatable, Sendable {
    public var name: String
    public var enabled: Bool = true
    public var percent: Double?
    public var latencyMs: Int?
    public var jitterMs: Int?
    public var mode: String?
    public var severity: String?
    public var maxHits: Int?
    /// Service-specific values; numbers and booleans keep their JSON type.
    public var params: [String: FlagParam] = [:]
    /// Seconds from now until the flag turns itself off (`--for`).
    public var forSeconds: Double?

    public init(name: String) { self.name = name }
}

/// A `params` value: JSON string, number or boolean.
public enum FlagParam: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    /// `--param k=v` values: "true"/"false" become booleans, numerals numbers, the rest text.
    public init(parsing text: String) {
        if text == "true" { self = .bool(true) }
        else if text == "false" { self = .bool(false) }
        else if let n = Double(text), n.isFinite, !text.hasPrefix("+"), !text.hasPrefix(".") { self = .number(n) }
        else { self = .string(text) }
    }

    public var jsonValue: Any {
        switch self {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
        case .bool(let b): return b
        }
    }

    public var description: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .bool(let b): return String(b)
        }
    }
}
