import ChaosControl
import Foundation
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// expires_at → flag off: how late the reader's expiry timer turns a flag off, with no file
/// change involved. The unit test only checks "off, never early"; this is the figure.
struct ExpiryBenchmark {
    let rounds: Int

    struct Result {
        var lateness = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        /// Rounds where the flag was never seen on before its expiry (machine too slow to tell).
        var unobserved = 0
    }

    func run(path: String, reader: ControlFileReader) throws -> Result {
        let writer = ControlFileWriter(path: path, updatedBy: "chaos-bench")
        let flag = reader.flag("bench-expiry")
        var result = Result()
        for _ in 0..<rounds {
            let written = try writer.update { $0.flags["bench-expiry"] = Flag(expiresAt: Date().addingTimeInterval(0.05)) }
            // The protocol keeps milliseconds: measure from the instant as stored.
            guard let expiry = written.flags["bench-expiry"]?.expiresAt else { continue }
            while !flag.isActive, Date() < expiry { usleep(100) }
            guard flag.isActive else { result.unobserved += 1; continue }
            // Sampled every 0.1 ms: the figure includes up to that much sampling delay.
            while flag.isActive { usleep(100) }
            let late = max(0, Date().timeIntervalSince(expiry))
            _ = result.lateness.record(UInt64(late * 1e9))
        }
        return result
    }
}
