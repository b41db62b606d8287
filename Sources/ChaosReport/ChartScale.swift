import Foundation

/// Round axis limits and ticks.
enum ChartScale {
    /// Round up to 1, 2 or 5 × 10^n so axis labels are round numbers.
    static func niceCeiling(_ value: Double) -> Double {
        let magnitude = pow(10, floor(log10(value)))
        for step in [1.0, 2.0, 5.0, 10.0] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    /// About five round ticks from 0 to `limit`.
    static func ticks(upTo limit: Double) -> [Double] {
        guard limit > 0 else { return [0] }
        let step = niceCeiling(limit / 5)
        return Swift.stride(from: 0.0, through: limit + step * 1e-9, by: step).map { $0 }
    }

    static func label(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }
}
