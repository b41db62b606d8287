import ChaosLoad
import Foundation

/// The measured path, as the runner will use it: `K6OutputReader` into a `PhaseAccumulator`
/// with pre / during / post, one step, and recovery windows after the fault.
enum IngestBenchmark {
    static let start = Date(timeIntervalSince1970: 1_796_300_000)
    static let requestsPerSecond = 500.0

    static func run(path: String, seconds span: Double) -> (lines: Int, requests: Int, unreadable: Int) {
        let wall0 = Int64(start.timeIntervalSince1970 * 1e9)
        func at(_ s: Double) -> ClockReading {
            ClockReading(monotonicNanoseconds: 1_000_000_000 + UInt64(s * 1e9), wallNanoseconds: wall0 + Int64(s * 1e9))
        }
        let fault = FaultWindow(name: "fault", start: at(span / 3), end: at(span * 2 / 3))
        let plan = LoadPhasePlan.standard(loadStart: at(0), loadEnd: at(span + 1), faults: [fault])
        let reader = K6OutputReader(path: path)
        var accumulator = PhaseAccumulator(plan: plan)
        reader.finish(into: &accumulator)
        let summary = accumulator.summary(tool: .k6, source: path, counts: reader.counts, problems: reader.problems)
        let counted = summary.phases["pre"]!.requests + summary.phases["during"]!.requests + summary.phases["post"]!.requests
        return (reader.counts.lines, counted, reader.counts.unreadableLines)
    }
}
