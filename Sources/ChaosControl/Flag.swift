import Foundation

/// One fault flag in the control file. See docs/control-file.md for the semantics of
/// each field; `unknownFields` holds fields this version does not know, so writers
/// preserve them on rewrite.
public struct Flag: Equatable, Sendable {
    /// Whether the flag is on at all (`"enabled"`, required).
    public var enabled: Bool
    /// Probability, 0-100, that a call fires, rolled per call (`"percent"`, default 100).
    public var percent: Double
    /// Delay to inject when the flag fires (`"latency_ms"`).
    public var latencyMilliseconds: Int?
    /// Uniform ± jitter around the latency (`"jitter_ms"`); the result is clamped at 0.
    public var jitterMilliseconds: Int?
    /// How the service should fail (`"mode"`).
    public var mode: FlagMode?
    /// How strongly the service should react (`"severity"`).
    public var severity: FlagSeverity?
    /// After this instant the flag is off (`"expires_at"`, RFC 3339). Kept to milliseconds.
    public var expiresAt: Date?
    /// Per reading process: after this many firings the flag stops firing in that process
    /// until its definition changes (`"max_hits"`).
    public var maxHits: Int?
    /// Seed of this flag's own decision sequence (`"seed"`, 0 ≤ seed < 2^53): readers built
    /// without an explicit seed draw this flag's percent and jitter from it, so a
    /// single-threaded service replays the same decisions.
    public var seed: UInt64?
    /// Service-specific scalar parameters (`"params"`).
    public var params: [String: FlagParam]
    /// Fields not defined by protocol version 1, preserved verbatim on rewrite.
    public var unknownFields: [String: JSONValue]

    /// A flag; defaults describe "always fire, no latency".
    public init(enabled: Bool = true, percent: Double = 100, latencyMilliseconds: Int? = nil,
                jitterMilliseconds: Int? = nil, mode: FlagMode? = nil, severity: FlagSeverity? = nil,
                expiresAt: Date? = nil, maxHits: Int? = nil, params: [String: FlagParam] = [:],
                unknownFields: [String: JSONValue] = [:], seed: UInt64? = nil) {
        self.enabled = enabled
        self.percent = percent
        self.latencyMilliseconds = latencyMilliseconds
        self.jitterMilliseconds = jitterMilliseconds
        self.mode = mode
        self.severity = severity
        self.expiresAt = expiresAt.map(RFC3339.truncatedToMilliseconds)
        self.maxHits = maxHits
        self.params = params
        self.unknownFields = unknownFields
        self.seed = seed
    }

    /// Whether the flag can fire at `now`: enabled and not expired (percent and max_hits aside).
    public func isActive(at now: Date) -> Bool {
        guard enabled else { return false }
        if let expiresAt, now >= expiresAt { return false }
        return true
    }
}
