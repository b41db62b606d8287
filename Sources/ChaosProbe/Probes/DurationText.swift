import ChaosCore

/// Seconds as people read them in failure reasons ("1.5s", "200ms").
enum DurationText {
    static func seconds(_ value: Double) -> String { DurationParser.format(value) }
    static func nanoseconds(_ value: UInt64) -> String { DurationParser.format(Double(value) / 1e9) }
}
