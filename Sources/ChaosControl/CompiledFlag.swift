import Foundation

/// A flag reduced to plain numbers for the hot path: no strings, no optionals, no
/// references, so a snapshot table is raw memory that can be read without ARC or locks.
struct CompiledFlag {
    /// Enabled and not expired when the table was published.
    var active: Bool
    /// percent == 100: fire without drawing a random number.
    var alwaysFires: Bool
    /// Fires when a uniform random UInt64 is below this (percent / 100 × 2^64).
    var threshold: UInt64
    var latencyNanoseconds: Int64
    var jitterNanoseconds: Int64
    /// 0 none, 1 fail, 2 fallback.
    var modeCode: UInt8
    /// 0 none, 1 soft, 2 hard.
    var severityCode: UInt8
    /// 0 means unlimited.
    var maxHits: UInt64
    /// Changes whenever the flag's definition changes; resets the max_hits counter.
    var definitionTag: UInt64
    /// Draw from the flag's own sequence (`seed`) instead of the reader's.
    var seeded: Bool = false
    var seed: UInt64 = 0

    static let inactive = CompiledFlag(active: false, alwaysFires: false, threshold: 0, latencyNanoseconds: 0,
                                       jitterNanoseconds: 0, modeCode: 0, severityCode: 0, maxHits: 0,
                                       definitionTag: 0)

    init(active: Bool, alwaysFires: Bool, threshold: UInt64, latencyNanoseconds: Int64, jitterNanoseconds: Int64,
         modeCode: UInt8, severityCode: UInt8, maxHits: UInt64, definitionTag: UInt64) {
        self.active = active
        self.alwaysFires = alwaysFires
        self.threshold = threshold
        self.latencyNanoseconds = latencyNanoseconds
        self.jitterNanoseconds = jitterNanoseconds
        self.modeCode = modeCode
        self.severityCode = severityCode
        self.maxHits = maxHits
        self.definitionTag = definitionTag
    }

    /// Compiles a flag as it stands at `now` (expiry is decided here, not per call). The
    /// flag's `seed` is used only when `useFlagSeed` (the reader was given no seed of its own).
    init(_ flag: Flag?, definitionTag: UInt64, now: Date, useFlagSeed: Bool) {
        guard let flag, flag.isActive(at: now) else {
            self = .inactive
            return
        }
        let scaled = flag.percent / 100 * 18_446_744_073_709_551_616.0   // × 2^64
        self.init(active: true,
                  alwaysFires: scaled >= 18_446_744_073_709_551_616.0,
                  threshold: scaled >= 18_446_744_073_709_551_616.0 ? UInt64.max : UInt64(max(0, scaled)),
                  latencyNanoseconds: Int64(flag.latencyMilliseconds ?? 0) * 1_000_000,
                  jitterNanoseconds: Int64(flag.jitterMilliseconds ?? 0) * 1_000_000,
                  modeCode: flag.mode.map { $0 == .fail ? 1 : 2 } ?? 0,
                  severityCode: flag.severity.map { $0 == .soft ? 1 : 2 } ?? 0,
                  maxHits: UInt64(flag.maxHits ?? 0),
                  definitionTag: definitionTag)
        if useFlagSeed, let seed = flag.seed {
            seeded = true
            self.seed = seed
        }
    }

    var mode: FlagMode? {
        switch modeCode {
        case 1: return .fail
        case 2: return .fallback
        default: return nil
        }
    }

    var severity: FlagSeverity? {
        switch severityCode {
        case 1: return .soft
        case 2: return .hard
        default: return nil
        }
    }
}
