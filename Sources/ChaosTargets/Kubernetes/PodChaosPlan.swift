import Foundation

/// What pod chaos does to each chosen pod.
public enum PodChaosAction: String, Sendable {
    /// DELETE the pod (bypasses PodDisruptionBudgets, like a crash or `kubectl delete`).
    case kill
    /// policy/v1 Eviction (honours PodDisruptionBudgets, like `kubectl drain`).
    case evict
}

/// One pod chaos experiment: selection, action, repetition and recovery measurement.
public struct PodChaosPlan: Sendable {
    public var action: PodChaosAction
    public var selection: PodSelectionSpec
    /// nil: the pod's own terminationGracePeriodSeconds; 0: immediate.
    public var gracePeriodSeconds: Int?
    /// Server-side dry run (`dryRun=All`): the server validates and answers, nothing changes.
    public var dryRun: Bool
    /// Makes the choice of pods replayable; nil picks (and reports) a random seed.
    public var seed: UInt64?
    /// Seconds between rounds (Litmus CHAOS_INTERVAL); nil: one round.
    public var interval: Double?
    /// Seconds over which rounds start (Litmus TOTAL_CHAOS_DURATION).
    public var duration: Double?
    /// Act on a round's pods at once instead of one after another (Litmus SEQUENCE).
    public var parallel: Bool
    /// After each round, wait up to this many seconds for the selector to be back at strength.
    public var waitRecovered: Double?

    public init(action: PodChaosAction, selection: PodSelectionSpec, gracePeriodSeconds: Int? = nil,
                dryRun: Bool = false, seed: UInt64? = nil, interval: Double? = nil, duration: Double? = nil,
                parallel: Bool = false, waitRecovered: Double? = nil) {
        self.action = action
        self.selection = selection
        self.gracePeriodSeconds = gracePeriodSeconds
        self.dryRun = dryRun
        self.seed = seed
        self.interval = interval
        self.duration = duration
        self.parallel = parallel
        self.waitRecovered = waitRecovered
    }

    /// Round start offsets in seconds: 0, interval, 2·interval, … while below duration.
    public var roundOffsets: [Double] {
        guard let duration, duration > 0 else { return [0] }
        let step = (interval ?? 0) > 0 ? interval! : duration
        var out: [Double] = []
        var t = 0.0
        // Bounded: at most 10 000 rounds whatever the numbers.
        while t < duration && out.count < 10_000 {
            out.append(t)
            t += step
        }
        return out
    }
}
