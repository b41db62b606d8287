import ChaosControl
import ChaosCore
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
    /// The flag's own decision seed (`--seed`, `seed:`); see docs/control-file.md.
    public var seed: UInt64?
    /// Seconds from now until the flag turns itself off (`--for`).
    public var forSeconds: Double?

    public init(name: String) { self.name = name }
}

extension FlagParam {
    /// `--param k=v` values: "true"/"false" become booleans, numerals numbers, the rest text.
    public init(parsing text: String) {
        if text == "true" { self = .bool(true) }
        else if text == "false" { self = .bool(false) }
        else if let n = Double(text), n.isFinite, text.first?.isNumber == true || text.first == "-" { self = .number(n) }
        else { self = .string(text) }
    }
}

extension FlagSetting {
    /// The control-file flag this setting asks for, expiring `forSeconds` after `now`.
    /// Validated with ChaosControl's rules, so the messages match the file's.
    public func flag(now: Date = Date()) throws -> Flag {
        try FlagValidation.validateName(name)
        if let seconds = forSeconds, !(seconds > 0) {
            // Written already expired, the flag would be a silent no-op.
            throw ChaosError("flag \"\(name)\": for: \(seconds == 0 ? "0s" : DurationParser.format(seconds)) turns the flag off as it is written; give a duration above 0",
                             exitCode: .usage)
        }
        var flag = Flag(enabled: enabled, percent: percent ?? 100, latencyMilliseconds: latencyMs,
                        jitterMilliseconds: jitterMs, expiresAt: forSeconds.map { now.addingTimeInterval($0) },
                        maxHits: maxHits, params: params, seed: seed)
        // Text-valued choices go through the decoder's own checks, so an unknown mode is
        // refused with the same message the file would get.
        if let mode { try flag.assign("mode", fromText: mode, flag: name) }
        if let severity { try flag.assign("severity", fromText: severity, flag: name) }
        try FlagValidation.validate(flag, name: name)
        return flag
    }

    /// Valid settings that probably do not do what was meant, for the CLI to warn about.
    public var warnings: [String] {
        var found: [String] = []
        if let jitter = jitterMs, latencyMs == nil {
            found.append("flag \"\(name)\": jitter_ms \(jitter) without latency_ms: the delay is 0 ms ± \(jitter) ms clamped at 0, so about half the calls get none; set a latency too")
        }
        return found
    }
}
