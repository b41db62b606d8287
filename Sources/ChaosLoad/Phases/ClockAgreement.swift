import ChaosCore

/// Checks that generator wall-clock stamps can be cut at the plan's instants.
///
/// 1. The wall clock must not move against the monotonic clock during the run: the
///    difference (wall − monotonic) at every recorded instant must stay within `tolerance`.
///    A step (NTP, a person) would shift every cut made after it.
/// 2. The generator's stamps must fall inside the load's span (started at `loadStart`,
///    stopped by `loadEnd`) give or take `tolerance`: a generator on another host, or in a
///    container with its own idea of time, stamps requests off by its clock's error.
enum ClockAgreement {
    static func wallClockMoved(_ plan: LoadPhasePlan, tolerance: Double) -> String? {
        let instants = plan.labelledInstants
        guard let lowest = instants.min(by: { $0.1.offsetNanoseconds < $1.1.offsetNanoseconds }),
              let highest = instants.max(by: { $0.1.offsetNanoseconds < $1.1.offsetNanoseconds }) else { return nil }
        let moved = Double(highest.1.offsetNanoseconds - lowest.1.offsetNanoseconds) / 1e9
        guard moved > tolerance else { return nil }
        let (earlier, later) = lowest.1.monotonicNanoseconds < highest.1.monotonicNanoseconds ? (lowest, highest) : (highest, lowest)
        return "the wall clock moved \(DurationParser.format(moved)) against the monotonic clock between \(earlier.0) and " +
            "\(later.0) (tolerance \(DurationParser.format(tolerance))): the generator's wall-clock timestamps cannot be " +
            "cut at the run's phase instants"
    }

    /// Counts of stamps before the load's start / after its end beyond the tolerance.
    struct OutsideSpan {
        var early = 0
        var late = 0
        var earliest: Int64?
        var latest: Int64?

        mutating func record(_ wall: Int64, plan: LoadPhasePlan, tolerance: Int64) {
            if wall < plan.loadStart.wallNanoseconds - tolerance {
                early += 1
                earliest = min(earliest ?? wall, wall)
            } else if wall > plan.loadEnd.wallNanoseconds + tolerance {
                late += 1
                latest = max(latest ?? wall, wall)
            }
        }

        func problem(total: Int, plan: LoadPhasePlan, tolerance: Double, unit: String = "requests") -> String? {
            guard early + late > 0 else { return nil }
            var parts: [String] = []
            if let earliest {
                parts.append("\(early) stamped before the load started (up to " +
                    "\(DurationParser.format(Double(plan.loadStart.wallNanoseconds - earliest) / 1e9)) before)")
            }
            if let latest {
                parts.append("\(late) stamped after it stopped (up to " +
                    "\(DurationParser.format(Double(latest - plan.loadEnd.wallNanoseconds) / 1e9)) after)")
            }
            return "\(early + late) of \(total) \(unit) lie outside the load's span by more than " +
                "\(DurationParser.format(tolerance)): \(parts.joined(separator: ", ")); the generator's clock disagrees " +
                "with this machine's (another host or container?), so its figures cannot be placed in phases"
        }
    }
}
