/// One checked limit: what was measured, against which limit, and whether it passed.
public struct SLOVerdict: Codable, Sendable, Equatable {
    /// "max_error_rate", "p95_ms", "p99_ms" or "recover_within".
    public var objective: String
    /// The phase checked, for per-phase limits.
    public var phase: String?
    /// The fault mark label, for recover_within.
    public var fault: String?
    /// Nil when nothing could be measured (no samples, never recovered): that fails.
    public var measured: Double?
    public var limit: Double
    /// "ratio", "ms" or "s".
    public var unit: String
    public var passed: Bool
    /// Why the limit could not be judged ("no samples in post"); nil when it was. A limit
    /// that was not measured has neither passed nor failed, and a run with one cannot pass.
    public var notMeasured: String?
    /// One line a person can read: "p95 142.3ms > 100ms in during".
    public var detail: String

    /// Measured and over the limit.
    public var failed: Bool { !passed && notMeasured == nil }

    /// Unique, stable name ("p95_ms[post]", "recover_within[kill api-1]") for JUnit test cases.
    public var name: String {
        let scope = [phase, fault].compactMap { $0 }.joined(separator: ",")
        return scope.isEmpty ? objective : "\(objective)[\(scope)]"
    }

    public init(objective: String, phase: String?, fault: String?, measured: Double?, limit: Double,
                unit: String, passed: Bool, detail: String) {
        self.init(objective: objective, phase: phase, fault: fault, measured: measured, limit: limit, unit: unit,
                  passed: passed, notMeasured: nil, detail: detail)
    }

    /// A limit that could not be judged: `why` says what data was missing.
    public static func notMeasured(objective: String, phase: String?, fault: String?, limit: Double, unit: String,
                                   why: String) -> SLOVerdict {
        SLOVerdict(objective: objective, phase: phase, fault: fault, measured: nil, limit: limit, unit: unit,
                   passed: false, notMeasured: why, detail: "not measured: \(why)")
    }

    /// Add the reason nothing was measured ("the run was aborted: signal 2") to an unmeasured verdict.
    public mutating func explainNotMeasured(_ cause: String) {
        guard let why = notMeasured else { return }
        notMeasured = "\(why) (\(cause))"
        detail = "not measured: \(notMeasured!)"
    }

    init(objective: String, phase: String?, fault: String?, measured: Double?, limit: Double,
         unit: String, passed: Bool, notMeasured: String?, detail: String) {
        self.objective = objective
        self.phase = phase
        self.fault = fault
        self.measured = measured
        self.limit = limit
        self.unit = unit
        self.passed = passed
        self.notMeasured = notMeasured
        self.detail = detail
    }
}
