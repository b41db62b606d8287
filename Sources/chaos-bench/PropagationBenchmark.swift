import ChaosControl
import Foundation
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// write → reader-sees-it latency: a ControlFileWriter toggles a flag, the main thread spins
/// on the handle until the reader's watcher thread has published the change.
struct PropagationBenchmark {
    let writes: Int

    struct Result {
        var fromCallStart = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var fromRename = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var timeouts = 0
        var alreadyVisible = 0
    }

    func run(path: String, reader: ControlFileReader) throws -> Result {
        let writer = ControlFileWriter(path: path, updatedBy: "chaos-bench")
        let toggled = reader.flag("bench-toggle")
        var result = Result()
        for index in 0..<writes {
            let enable = index % 2 == 0
            let start = monotonicNanoseconds()
            try writer.update { $0.flags["bench-toggle"] = Flag(enabled: enable) }
            let renamed = monotonicNanoseconds()
            if toggled.isActive == enable { result.alreadyVisible += 1 }
            let deadline = renamed + 5_000_000_000
            var seen = monotonicNanoseconds()
            while toggled.isActive != enable {
                seen = monotonicNanoseconds()
                if seen > deadline { break }
                sched_yield()   // two shared cores: let the watcher thread run
            }
            if toggled.isActive != enable {
                result.timeouts += 1
                continue
            }
            seen = monotonicNanoseconds()
            _ = result.fromCallStart.record(seen - start)
            _ = result.fromRename.record(seen - renamed)
            usleep(2_000)   // space the writes so each is a separate event, as in real use
        }
        return result
    }
}
