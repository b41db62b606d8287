import ChaosCore

/// The stages of one direction, in order: what one stage lets out, the next receives at the
/// time it was let out (not when the loop got round to it), so delays add up exactly.
final class ToxicChain {
    private(set) var stages: [ToxicStage]
    /// Where the lateness of bytes leaving the last stage goes (`now` minus their schedule).
    private let lateness: LatenessHistogram?

    init(stages: [ToxicStage] = [], lateness: LatenessHistogram? = nil) {
        self.stages = stages
        self.lateness = lateness
    }

    var isEmpty: Bool { stages.isEmpty }

    /// Feed an item read from the source at `time`. With no stage, the caller writes it directly.
    func push(_ item: StreamItem, at time: Nanos) {
        precondition(!stages.isEmpty, "push into an empty chain")
        stages[0].receive(item, at: time)
    }

    /// Move everything due by `now` through the chain; returns what leaves the last stage.
    func advance(now: Nanos) -> [StreamItem] {
        var out: [StreamItem] = []
        for index in stages.indices {
            while let (item, at) = stages[index].popReady(now: now) {
                if index + 1 < stages.count {
                    stages[index + 1].receive(item, at: at)
                } else {
                    if let lateness, case .data = item { lateness.record(now - at) }
                    out.append(item)
                }
            }
        }
        return out
    }

    /// The earliest deadline of any stage (a loop, not compactMap: asked after every event).
    var nextDeadline: Nanos? {
        var earliest: Nanos?
        for stage in stages {
            if let deadline = stage.nextDeadline, earliest == nil || deadline < earliest! { earliest = deadline }
        }
        return earliest
    }

    var heldBytes: Int { stages.reduce(0) { $0 + $1.heldBytes } }

    /// Replace the stages with ones for `specs`. A stage whose spec is unchanged is kept (so
    /// limit_data's count, timeout's clock, bandwidth's pacing survive); an updated one is
    /// new but may carry state over (limit_data's count). Everything the old
    /// stages held is returned in stream order (later stages hold older data), for the
    /// caller to send on at once — as Toxiproxy flushes a toxic's data when it is interrupted.
    func rebuild(specs: [ToxicSpec], now: Nanos, makeRandom: (ToxicSpec) -> SeededRandom) -> [StreamItem] {
        var flushed: [StreamItem] = []
        for stage in stages.reversed() { flushed += stage.takeBuffered() }
        var kept: [String: ToxicStage] = [:]
        for stage in stages { kept[stage.spec.name] = stage }
        stages = specs.compactMap { spec in
            if let old = kept[spec.name], old.spec == spec { return old }
            let stage = makeToxicStage(spec, now: now, random: makeRandom(spec))
            if let old = kept[spec.name] { stage?.carryState(from: old) }
            return stage
        }
        return flushed
    }
}
