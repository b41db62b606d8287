/// A quantity over time, drawn on the report's timeline: the probes' own rates are derived
/// from the probe record (``ProbeRates``), and other sources (a load generator's results)
/// can add theirs through ``RunReport/series``. A point with no value is a stretch with no
/// data: the chart leaves a gap there instead of drawing a zero it never measured.
public struct TimeSeries: Codable, Sendable, Equatable {
    /// What the values are, which also picks the panel and axis they are drawn against.
    public enum Quantity: String, Codable, Sendable {
        /// Requests (or probe checks) per second.
        case requestRate
        /// Failed / all, 0...1.
        case errorRate
        /// Milliseconds, drawn on the latency panel.
        case latency
    }

    public struct Point: Codable, Sendable, Equatable {
        /// Monotonic ns since the probe loop started (the timeline's time 0).
        public var atNanoseconds: UInt64
        /// Nil: nothing was measured for this stretch.
        public var value: Double?

        public init(atNanoseconds: UInt64, value: Double?) {
            self.atNanoseconds = atNanoseconds
            self.value = value
        }
    }

    /// The legend text: "probe checks/s", "k6 requests/s".
    public var name: String
    public var quantity: Quantity
    /// In time order.
    public var points: [Point]

    public init(name: String, quantity: Quantity, points: [Point]) {
        self.name = name
        self.quantity = quantity
        self.points = points
    }
}
