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
    /// One line a person can read: "p95 142.3ms > 100ms in during".
    public var detail: String

    /// Unique, stable name ("p95_ms[post]", "recover_within[kill api-1]") for JUnit test cases.
    public var name: String {
        let scope = [phase, fault].compactMap { $0 }.joined(separator: ",")
        return scope.isEmpty ? objective : "\(objective)[\(scope)]"
    }

    public init(objective: String, phase: String?, fault: String?, measured: Double?, limit: Double,
                unit: String, passed: Bool, detail: String) {
        self.objective = objective
        self.phase = phase
        self.fault = fault
        self.measured = measured
        self.limit = limit
        self.unit = unit
        self.passed = passed
        self.detail = detail
    }
}
