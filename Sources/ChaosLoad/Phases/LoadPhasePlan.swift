/// A named span of the run between two instants, each recorded on both clocks: a phase load
/// results are cut into (`pre`, `during`, `post`, a step), or a fault's real start and end as
/// the journal recorded them.
public struct NamedSpan: Codable, Sendable, Equatable {
    public var name: String
    public var start: ClockReading
    public var end: ClockReading

    public init(name: String, start: ClockReading, end: ClockReading) {
        self.name = name
        self.start = start
        self.end = end
    }

    /// Whether a generator's wall-clock stamp falls in [start, end).
    @inline(__always) func contains(wall: Int64) -> Bool {
        wall >= start.wallNanoseconds && wall < end.wallNanoseconds
    }

    /// Length by the monotonic clock.
    public var seconds: Double { start.seconds(to: end) }
}

public typealias LoadPhase = NamedSpan
public typealias FaultWindow = NamedSpan

/// The phases a run's load is cut into, and the fault ends recovery is measured from.
public struct LoadPhasePlan: Codable, Sendable, Equatable {
    public var loadStart: ClockReading
    public var loadEnd: ClockReading
    public var phases: [LoadPhase]
    public var faults: [FaultWindow]

    public init(loadStart: ClockReading, loadEnd: ClockReading, phases: [LoadPhase], faults: [FaultWindow]) {
        self.loadStart = loadStart
        self.loadEnd = loadEnd
        self.phases = phases
        self.faults = faults
    }

    /// `pre` = load start → first fault start; `during` = first fault start → last fault end;
    /// `post` = last fault end → load end; then one phase per fault, named after its step.
    /// Without faults the whole load is `pre`.
    public static func standard(loadStart: ClockReading, loadEnd: ClockReading, faults: [FaultWindow]) -> LoadPhasePlan {
        let ordered = faults.sorted { $0.start.monotonicNanoseconds < $1.start.monotonicNanoseconds }
        guard let first = ordered.first,
              let last = ordered.max(by: { $0.end.monotonicNanoseconds < $1.end.monotonicNanoseconds }) else {
            return LoadPhasePlan(loadStart: loadStart, loadEnd: loadEnd,
                                 phases: [LoadPhase(name: "pre", start: loadStart, end: loadEnd)], faults: [])
        }
        var phases = [
            LoadPhase(name: "pre", start: loadStart, end: first.start),
            LoadPhase(name: "during", start: first.start, end: last.end),
            LoadPhase(name: "post", start: last.end, end: loadEnd),
        ]
        for fault in ordered where !["pre", "during", "post"].contains(fault.name) {
            phases.append(LoadPhase(name: fault.name, start: fault.start, end: fault.end))
        }
        return LoadPhasePlan(loadStart: loadStart, loadEnd: loadEnd, phases: phases, faults: ordered)
    }

    /// Every instant of the plan, labelled, for the clock check.
    var labelledInstants: [(String, ClockReading)] {
        var instants = [("load start", loadStart)]
        for fault in faults {
            instants.append(("'\(fault.name)' start", fault.start))
            instants.append(("'\(fault.name)' end", fault.end))
        }
        instants.append(("load end", loadEnd))
        return instants
    }
}
