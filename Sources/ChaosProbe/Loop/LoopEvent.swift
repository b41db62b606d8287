import Foundation

/// An instant marked on the loop's timeline: a phase change, a fault window edge, or a
/// one-shot fault (a kill). Recovery and time-to-detect are measured from these.
public struct LoopEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// The loop entered the phase named in `label`.
        case phase
        /// A fault started being applied (the window opens).
        case faultStart
        /// A fault stopped being applied (the window closes): recovery is measured from here.
        case faultEnd
        /// An instantaneous fault (kill, restart): both detection and recovery start here.
        case oneShot
    }

    public var kind: Kind
    /// Phase name for `.phase`; free text for faults ("kill api-1").
    public var label: String
    /// Monotonic ns since loop start.
    public var atNanoseconds: UInt64
    public var wallClock: Date

    public init(kind: Kind, label: String, atNanoseconds: UInt64, wallClock: Date) {
        self.kind = kind
        self.label = label
        self.atNanoseconds = atNanoseconds
        self.wallClock = wallClock
    }
}
