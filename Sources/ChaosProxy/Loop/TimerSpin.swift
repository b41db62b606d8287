/// How an event loop trades CPU for timer precision.
///
/// A thread woken from a timed sleep is late by the machine's wake-up latency: tens of µs on
/// bare metal, but on a VM whose idle vCPU halted, about 0.3 ms typically and 2 ms or more
/// at the 99th percentile (measured here; see docs/proxy-data-plane.md). A latency toxic
/// that sleeps until its deadline inherits all of that. So a loop can stop sleeping a
/// *margin* before the nearest deadline and poll epoll (without sleeping) until it is due.
public enum TimerSpin: Sendable, Equatable {
    /// Always sleep until the deadline.
    case off
    /// Poll for this long before every deadline.
    case fixed(microseconds: Int)
    /// Learn the margin from how late this loop's own timed sleeps end (the largest lateness
    /// among the last 256 of them), never above `ceilingMicroseconds`, and spin for at most
    /// `budget` of each second (0.1 = a tenth of one core), sleeping once that is spent.
    case adaptive(ceilingMicroseconds: Int, budget: Double)

    /// The default: adaptive, at most 5 ms of margin and 10 % of a core.
    public static let automatic = TimerSpin.adaptive(ceilingMicroseconds: 5_000, budget: 0.1)

    /// Parses the CLI form: "auto", "off" or "0", or a number of microseconds.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "auto": self = .automatic
        case "off", "0": self = .off
        default:
            guard let us = Int(argument), us > 0, us <= 1_000_000 else { return nil }
            self = .fixed(microseconds: us)
        }
    }
}

/// The per-loop state behind `TimerSpin`: the current margin, the recent wake-up lateness
/// samples, and the spin time spent in the current one-second window.
struct TimerSpinGovernor {
    private static let window: Nanos = 1_000_000_000
    private static let samples = 256
    /// Rescan for the worst sample after this many new ones.
    private static let refreshEvery = 16
    /// Before the first measured wake-up: a typical VM figure.
    private static let initialMargin: Nanos = 300_000
    /// Added to the measured lateness: the polling turn itself takes a few µs.
    private static let headroom: Nanos = 20_000

    private let policy: TimerSpin
    private var lateness: [Nanos] = []
    private var nextSample = 0
    private var sinceRefresh = 0
    private var learnedMargin: Nanos = TimerSpinGovernor.initialMargin
    private var windowStart: Nanos = 0
    private var spentInWindow: Nanos = 0

    init(policy: TimerSpin) { self.policy = policy }

    /// How long before a deadline to stop sleeping, as of `now`.
    mutating func margin(now: Nanos) -> Nanos {
        switch policy {
        case .off:
            return 0
        case .fixed(let microseconds):
            return Nanos(microseconds) * 1_000
        case .adaptive(let ceiling, let budget):
            if now &- windowStart >= TimerSpinGovernor.window {
                windowStart = now
                spentInWindow = 0
            }
            if Double(spentInWindow) >= budget * Double(TimerSpinGovernor.window) { return 0 }
            return min(learnedMargin, Nanos(max(0, ceiling)) * 1_000)
        }
    }

    /// A timed sleep meant to end at `planned` ended (by its timeout) at `woke`.
    mutating func recordWake(planned: Nanos, woke: Nanos) {
        guard case .adaptive = policy else { return }
        let late = woke > planned ? woke - planned : 0
        if lateness.count < TimerSpinGovernor.samples {
            lateness.append(late)
        } else {
            lateness[nextSample] = late
        }
        nextSample = (nextSample + 1) % TimerSpinGovernor.samples
        // The worst of the last 256: wake-up lateness on a VM is heavy-tailed and drifts, and
        // margins at its 99th and 99.6th percentiles were measured to leave the toxic's own
        // 99th percentile above 0.5 ms (docs/proxy-data-plane.md). A new worst raises the
        // margin at once; old ones age out at the next rescan.
        if late + TimerSpinGovernor.headroom > learnedMargin || lateness.count == 1 {
            learnedMargin = late + TimerSpinGovernor.headroom
        }
        sinceRefresh += 1
        if sinceRefresh >= TimerSpinGovernor.refreshEvery {
            sinceRefresh = 0
            learnedMargin = (lateness.max() ?? 0) + TimerSpinGovernor.headroom
        }
    }

    /// A polling turn (inside the margin) took from `start` to `end`.
    mutating func recordSpin(from start: Nanos, to end: Nanos) {
        if end > start { spentInWindow += end - start }
    }
}
