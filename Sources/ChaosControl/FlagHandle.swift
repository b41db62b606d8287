import Foundation
import Synchronization

/// A flag resolved once by name (`reader.flag("slow-db")`), to be kept and asked per call.
/// `fires()` and `decide()` read the reader's current snapshot with one atomic load:
/// no lock, no allocation, no syscall, no string hashing, no clock read.
///
/// All handles a reader hands out for one name share one hit counter, so `max_hits` is
/// counted per reader (per process when a process has one reader, the normal case).
public final class FlagHandle: Sendable {
    /// The flag's name in the control file.
    public let name: String
    private let slot: Int
    private let publisher: SnapshotPublisher
    private let random: DecisionRandom
    private let hits: HitCounter
    private let sequence: FlagDrawSequence
    private let follower: ControlFileFollower

    private static let countBits: UInt64 = 40
    private static let countMask: UInt64 = (1 << 40) - 1
    private static let tagMask: UInt64 = (1 << 24) - 1

    init(name: String, slot: Int, hits: HitCounter, sequence: FlagDrawSequence, follower: ControlFileFollower) {
        self.name = name
        self.slot = slot
        self.hits = hits
        self.sequence = sequence
        self.follower = follower
        self.publisher = follower.publisher
        self.random = follower.random
    }

    /// Whether the fault should be injected on this call: enabled, not expired, the
    /// `percent` roll succeeds, and `max_hits` (if set) is not exhausted in this process.
    @inline(__always)
    public func fires() -> Bool {
        let entry = currentEntry()
        // Inactive flags (the common case in production) return before touching the shared
        // random state, so they cost one load and one branch and write nothing.
        guard entry.active else { return false }
        // Every call on an active flag takes exactly one draw, as `decide()` does, so a seeded
        // sequence means the same whichever of the two a service calls (spec section 3.2).
        let roll = draw(entry)
        if !entry.alwaysFires, roll >= entry.threshold { return false }
        return entry.maxHits == 0 || claimHit(entry)
    }

    /// Like `fires()`, plus the delay to inject (`latency_ms ± jitter_ms`), `mode` and `severity`.
    @inline(__always)
    public func decide() -> FlagDecision {
        let entry = currentEntry()
        guard entry.active else { return .none }
        let roll = draw(entry)
        guard entry.alwaysFires || roll < entry.threshold else { return .none }
        guard entry.maxHits == 0 || claimHit(entry) else { return .none }
        var delay = entry.latencyNanoseconds
        if entry.jitterNanoseconds > 0 {
            // Uniform in [-jitter, +jitter]: multiply-high maps 64 random bits onto the span.
            // The bits are a re-mix of the roll's draw (one counter step per decision); the
            // mix decorrelates them from the roll's "draw < threshold" condition.
            let span = UInt64(entry.jitterNanoseconds) * 2 + 1
            let jitterBits = DecisionRandom.mix(roll ^ 0xD1B5_4A32_D192_ED03)
            let offset = Int64(jitterBits.multipliedFullWidth(by: span).high)
            delay += offset - entry.jitterNanoseconds
        }
        return FlagDecision(fires: true, delayNanoseconds: UInt64(max(0, delay)),
                            mode: entry.mode, severity: entry.severity)
    }

    /// The flag's current definition in the file (nil if absent). Takes the reader's lock;
    /// not for the per-call path.
    public var definition: Flag? {
        follower.document.flags[name]
    }

    /// The flag's current `params` (empty if absent). Takes the reader's lock.
    public var params: [String: FlagParam] {
        definition?.params ?? [:]
    }

    /// Whether the flag is currently enabled and unexpired (ignores percent and max_hits).
    public var isActive: Bool {
        currentEntry().active
    }

    /// The next draw: from the flag's own `seed` sequence when it has one in force, else
    /// from the reader's shared generator.
    @inline(__always)
    private func draw(_ entry: CompiledFlag) -> UInt64 {
        entry.seeded ? sequence.next(seed: entry.seed, definitionTag: entry.definitionTag) : random.next()
    }

    @inline(__always)
    private func currentEntry() -> CompiledFlag {
        let table = publisher.table
        // A handle's slot exists in every table published after the handle was created;
        // the bounds check costs one compare and guards against misuse anyway.
        guard slot < table.pointee.count else { return .inactive }
        return table.pointee.entries[slot]
    }

    /// Counts one firing unless max_hits is reached for this definition of the flag.
    private func claimHit(_ entry: CompiledFlag) -> Bool {
        let tag = entry.definitionTag & Self.tagMask
        var observed = hits.value.load(ordering: .relaxed)
        while true {
            let count = (observed >> Self.countBits) == tag ? observed & Self.countMask : 0
            guard count < entry.maxHits else { return false }
            let desired = (tag << Self.countBits) | (count + 1)
            let (exchanged, original) = hits.value.compareExchange(expected: observed, desired: desired,
                                                             ordering: .relaxed)
            if exchanged { return true }
            observed = original
        }
    }
}
