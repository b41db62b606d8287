/// Recovery time and time-to-detect from a probe run's samples and marks.
///
/// **Recovery time** of a mark (a `.faultEnd`, or a `.oneShot` such as a kill) = the start of
/// the *first* sample of the first run of N consecutive healthy samples that start at or after
/// the mark, minus the mark. Measuring to the first sample of the healthy run (not the Nth)
/// reports when health came back, while N > 1 keeps a single lucky sample from counting.
/// With several probes each is judged on its own samples and the system has recovered when
/// the last one has: the recovery time is the largest per-probe value.
/// Samples are examined up to the next fault mark (or the end of the run); if no healthy run
/// is found there, recovery is nil and reported as "not recovered within <observed span>",
/// but only when some probe was still failing at the end of that span: a probe with no
/// sample after the mark, or one whose healthy streak was still shorter than N when the
/// span ended, makes the recovery "not measured" instead (the samples cannot decide).
/// Its resolution is one probe interval: the true instant lies within one interval before
/// the reported one.
///
/// **Time to detect** = the first failed sample starting at or after the fault began (the
/// matching `.faultStart`, or the one-shot instant) and before recovery, minus that start;
/// nil when no failure was seen.
public enum RecoveryAnalyzer {
    /// The accepted N of "N consecutive healthy samples" (`healthy_after`, `--healthy-after`):
    /// 0 would call a fault recovered before any healthy sample.
    public static let healthyStreakRange = 1...10_000

    public static func measure(_ run: ProbeRun, consecutiveHealthy: Int = 3) -> [RecoveryMeasurement] {
        let n = max(1, consecutiveHealthy)
        let faultMarks = run.events.filter { $0.kind != .phase }
        let probes = run.probeNames
        var results: [RecoveryMeasurement] = []
        for (position, mark) in faultMarks.enumerated() where mark.kind == .faultEnd || mark.kind == .oneShot {
            let faultStart: UInt64? = mark.kind == .oneShot
                ? mark.atNanoseconds
                : faultMarks[..<position].last { $0.kind == .faultStart }?.atNanoseconds
            // Stop at the next fault beginning: samples after it belong to that fault.
            let horizon = faultMarks[(position + 1)...]
                .first { $0.kind == .faultStart || $0.kind == .oneShot }?.atNanoseconds ?? run.durationNanoseconds
            var perProbe: [String: Double?] = [:]
            var recoveredAt: UInt64? = 0
            var firstFailure: UInt64?
            var stillFailing = false
            var undecided: [String] = []
            for probe in probes {
                let samples = run.samples.filter { $0.probe == probe }
                let after = samples.filter { $0.startNanoseconds >= mark.atNanoseconds && $0.startNanoseconds < horizon }
                let probeRecovered = firstHealthyRun(after, length: n)
                perProbe[probe] = probeRecovered.map { Double($0 - mark.atNanoseconds) / 1e9 }
                if probeRecovered == nil {
                    let healthyTail = after.reversed().prefix { $0.ok }.count
                    if after.isEmpty {
                        undecided.append("no sample of \(probe) after it")
                    } else if healthyTail > 0 {
                        undecided.append("\(probe) had \(healthyTail) healthy sample(s) in a row of the \(n) needed when the observation ended")
                    } else {
                        stillFailing = true
                    }
                }
                if let at = probeRecovered, let current = recoveredAt {
                    recoveredAt = max(current, at)
                } else {
                    recoveredAt = nil
                }
                if let start = faultStart {
                    let failure = samples.first {
                        !$0.ok && $0.startNanoseconds >= start && $0.startNanoseconds < (probeRecovered ?? horizon)
                    }
                    if let at = failure?.startNanoseconds { firstFailure = min(firstFailure ?? at, at) }
                }
            }
            if probes.isEmpty { recoveredAt = nil; undecided.append("no probe") }
            results.append(RecoveryMeasurement(
                mark: mark, faultStartNanoseconds: faultStart, consecutiveHealthy: n,
                recoveredAtNanoseconds: recoveredAt,
                recoverySeconds: recoveredAt.map { Double($0 - mark.atNanoseconds) / 1e9 },
                timeToDetectSeconds: both(firstFailure, faultStart).map { Double($0 - $1) / 1e9 },
                observedSeconds: Double(horizon - min(horizon, mark.atNanoseconds)) / 1e9,
                perProbe: perProbe,
                notMeasured: recoveredAt == nil && !stillFailing ? undecided.joined(separator: "; ") : nil))
        }
        return results
    }

    /// Start of the first sample of the first run of `length` healthy samples, in start order.
    static func firstHealthyRun(_ samples: [ProbeSample], length: Int) -> UInt64? {
        var runStart: UInt64?
        var runLength = 0
        for sample in samples {
            if sample.ok {
                if runLength == 0 { runStart = sample.startNanoseconds }
                runLength += 1
                if runLength >= length { return runStart }
            } else {
                runLength = 0
            }
        }
        return nil
    }
}

private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
