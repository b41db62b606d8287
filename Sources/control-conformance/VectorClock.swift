import ChaosControl
import Foundation

/// The Swift reader reads the real clock, so the runner maps the vector's clock onto it:
/// the vector's first instant becomes "now", every `expires_at` a document carries is
/// shifted by the same amount, and a clock step sleeps until its mapped instant. Vectors
/// keep their clock steps equal to, or at least 100 ms away from, every expiry so this
/// mapping decides the same way.
struct VectorClock {
    static let settleMilliseconds: Int64 = 2
    private let offsetMilliseconds: Int64

    init(start: String) throws {
        guard let date = RFC3339.parse(start) else { throw RunnerError("clock \(start) is not RFC 3339") }
        offsetMilliseconds = Self.realMilliseconds() - Self.milliseconds(date)
    }

    /// Sleeps until the vector instant `text` has passed on the real clock.
    func advance(to text: String) throws {
        guard let date = RFC3339.parse(text) else { throw RunnerError("clock \(text) is not RFC 3339") }
        let target = Self.milliseconds(date) + offsetMilliseconds + Self.settleMilliseconds
        let wait = target - Self.realMilliseconds()
        if wait > 0 { usleep(UInt32(wait * 1000)) }
    }

    /// The document with each flag's `expires_at` moved onto the real clock.
    func shifted(_ document: Any) -> Any {
        guard var top = document as? [String: Any], var flags = top["flags"] as? [String: Any] else { return document }
        for (name, value) in flags {
            guard var flag = value as? [String: Any], let text = flag["expires_at"] as? String,
                  let date = RFC3339.parse(text) else { continue }
            let moved = Self.milliseconds(date) + offsetMilliseconds
            flag["expires_at"] = RFC3339.format(Date(timeIntervalSince1970: Double(moved) / 1000))
            flags[name] = flag
        }
        top["flags"] = flags
        return top
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func realMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

struct RunnerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
