import ChaosCore

/// Cuts a stream of samples into the plan's phases as they arrive: per phase and per request
/// name, counts and latency histograms; per fault end, the windows recovery is judged on.
/// Memory is bounded by the plan (phases × names × windows), never by the number of samples.
public struct PhaseAccumulator: LoadSampleSink {
    public let plan: LoadPhasePlan
    public let options: LoadAnalysisOptions
    var phases: [RequestTally]
    var names: [[String: RequestTally]]
    /// Requests whose name came after `maxNamesPerPhase` distinct names, per phase.
    var namesOverflowed: [Int]
    var windows: [RecoveryWindows]
    var outside = ClockAgreement.OutsideSpan()
    private(set) var total = 0
    private let toleranceNanoseconds: Int64

    public init(plan: LoadPhasePlan, options: LoadAnalysisOptions = LoadAnalysisOptions()) {
        self.plan = plan
        self.options = options
        phases = plan.phases.map { _ in RequestTally(precision: .three) }
        names = plan.phases.map { _ in [:] }
        namesOverflowed = plan.phases.map { _ in 0 }
        toleranceNanoseconds = Int64(options.clockToleranceSeconds * 1e9)
        windows = plan.faults.enumerated().map { index, fault in
            // Recovery is looked for until the next fault starts, or the load ends.
            let horizon = plan.faults[(index + 1)...].map(\.start.wallNanoseconds).min() ?? plan.loadEnd.wallNanoseconds
            return RecoveryWindows(fault: fault.name, origin: fault.end.wallNanoseconds, horizon: horizon,
                                   windowSeconds: options.recovery.windowSeconds,
                                   maxWindows: options.recovery.maxWindows)
        }
    }

    public mutating func record(_ sample: LoadSample) {
        total += 1
        let wall = sample.wallNanoseconds
        outside.record(wall, plan: plan, tolerance: toleranceNanoseconds)
        for index in plan.phases.indices where plan.phases[index].contains(wall: wall) {
            phases[index].record(sample)
            recordName(sample, phase: index)
        }
        for index in windows.indices { windows[index].record(sample) }
    }

    private mutating func recordName(_ sample: LoadSample, phase: Int) {
        guard let name = sample.name else { return }
        if names[phase][name] != nil {
            names[phase][name]!.record(sample)
        } else if names[phase].count < options.maxNamesPerPhase {
            var tally = RequestTally(precision: .two)
            tally.record(sample)
            names[phase][name] = tally
        } else {
            namesOverflowed[phase] += 1
        }
    }
}

/// Knobs of the analysis; the defaults suit k6 and Locust on the same machine as chaosctl.
public struct LoadAnalysisOptions: Codable, Sendable, Equatable {
    /// How far the wall clock may move against the monotonic clock during the run, and how far
    /// outside the load's span a request may be stamped, before phase cuts are refused.
    public var clockToleranceSeconds: Double = 1
    /// A phase counts as covered when traffic was seen within this long of its start and end
    /// (k6 takes a moment to start its VUs; a generator that died early leaves a gap).
    public var coverageSlackSeconds: Double = 2
    public var maxNamesPerPhase = 100
    /// Locust's `CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW` (its default is 10 s).
    public var locustPercentileWindowSeconds: Double = 10
    public var recovery = RecoveryCriteria()

    public init() {}
}
