import Foundation

/// What the journal keeps about one applied fault: enough for `status` to show it and for
/// `recover` to revert it from a fresh process that knows nothing but this record.
public struct FaultRecord: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable {
        /// Journaled, about to be applied (or applying failed before the record was cleared).
        case applying
        /// In effect.
        case applied
    }

    /// Who holds the fault. `nil` means detached: the fault outlives the command on purpose
    /// (e.g. `chaosctl flag enable` without `--for`) and only an explicit revert or
    /// `recover --all` removes it. With an owner, the fault dies with the owner: if that
    /// process is gone, `recover` reverts it.
    public struct Owner: Codable, Equatable, Sendable {
        public var pid: Int32
        /// Process start time in clock ticks since boot (/proc/PID/stat field 22): guards
        /// against PID reuse when deciding whether the owner is still alive.
        public var startTicks: UInt64
        public init(pid: Int32, startTicks: UInt64) {
            self.pid = pid
            self.startTicks = startTicks
        }
    }

    public var id: String
    /// The fault kind, which names the reverter: "flag", "toxic", "proxy", "netem", "tbf", "container-pause", …
    public var kind: String
    /// Human-readable target: "flag slow-db in /tmp/chaos.json", "eth0 in netns red", …
    public var target: String
    /// Human-readable one-line description of the fault's parameters.
    public var summary: String
    public var state: State
    public var createdAt: Date
    public var expiresAt: Date?
    public var owner: Owner?
    /// Everything the reverter needs, as strings (kind-specific keys).
    public var revertData: [String: String]

    public init(id: String = FaultRecord.newID(), kind: String, target: String, summary: String,
                state: State = .applying, createdAt: Date = Date(), expiresAt: Date? = nil,
                owner: Owner? = nil, revertData: [String: String] = [:]) {
        self.id = id
        self.kind = kind
        self.target = target
        self.summary = summary
        self.state = state
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.owner = owner
        self.revertData = revertData
    }

    public static func newID() -> String {
        let stamp = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        let random = String(UInt64.random(in: 0..<(1 << 40)), radix: 36)
        return "\(stamp)-\(random)"
    }

    public func isExpired(at now: Date = Date()) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt <= now
    }
}
