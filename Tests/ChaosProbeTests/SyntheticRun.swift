import Foundation
@testable import ChaosProbe

/// Builds probe runs with exact, known timings for statistics and report tests.
struct SyntheticRun {
    var interval: UInt64 = 100_000_000
    var samples: [ProbeSample] = []
    var events: [LoopEvent] = [LoopEvent(kind: .phase, label: "pre", atNanoseconds: 0, wallClock: Date(timeIntervalSince1970: 1_700_000_000))]
    private var phase = "pre"

    /// Append one sample per health flag, one interval apart, continuing the timeline.
    mutating func add(_ health: [Bool], probe: String = "p", latencyMs: Double = 5) {
        for ok in health {
            let tick = samples.filter { $0.probe == probe }.count
            let at = UInt64(tick) * interval
            samples.append(ProbeSample(probe: probe, tick: tick, plannedNanoseconds: at, startNanoseconds: at,
                                       latencyNanoseconds: UInt64(latencyMs * 1e6), ok: ok, reason: ok ? nil : "down",
                                       phase: phase, wallClock: Date(timeIntervalSince1970: 1_700_000_000 + Double(at) / 1e9)))
        }
    }

    /// Mark an event at the start of tick `tick` (or `offset` ns into it).
    mutating func mark(_ kind: LoopEvent.Kind, _ label: String, atTick tick: Int, offset: UInt64 = 0) {
        if kind == .phase { phase = label }
        events.append(LoopEvent(kind: kind, label: label, atNanoseconds: UInt64(tick) * interval + offset,
                                wallClock: Date(timeIntervalSince1970: 1_700_000_000)))
    }

    /// Enter "during" with a fault window over these samples, then "post" (probe "p").
    mutating func addFault(_ label: String, _ health: [Bool], latencyMs: Double = 5) {
        let tick = samples.filter { $0.probe == "p" }.count
        mark(.phase, "during", atTick: tick)
        mark(.faultStart, label, atTick: tick)
        add(health, latencyMs: latencyMs)
        mark(.faultEnd, label, atTick: tick + health.count)
        mark(.phase, "post", atTick: tick + health.count)
    }

    var run: ProbeRun {
        let end = (samples.map(\.startNanoseconds).max() ?? 0) + interval
        return ProbeRun(intervalNanoseconds: interval, startedAt: Date(timeIntervalSince1970: 1_700_000_000),
                        durationNanoseconds: end, samples: samples.sorted { $0.startNanoseconds < $1.startNanoseconds },
                        events: events)
    }
}
