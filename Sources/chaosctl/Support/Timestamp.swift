import ChaosControl
import Foundation

/// The one time format of chaosctl's output (human lines and `--json` alike): RFC 3339 in
/// UTC with milliseconds, `2026-12-03T12:26:36.250Z`, the control file's own format.
enum Timestamp {
    static func text(_ date: Date) -> String { RFC3339.format(date, alwaysMilliseconds: true) }

    /// For `JSONEncoder.dateEncodingStrategy`.
    static var encoding: JSONEncoder.DateEncodingStrategy {
        .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(text(date))
        }
    }
}
