import ChaosControl
import Foundation
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// write → reader-sees-it latency. The reader's `onChange` callback runs on its watcher
/// thread right after the new snapshot is published and stamps the time; the benchmark
/// thread sleeps on a semaphore meanwhile, so it does not steal CPU from the watcher
/// (this machine's cores are shared).
struct PropagationBenchmark {
    let writes: Int

    struct Result {
        /// From the start of `ControlFileWriter.update` (lock, read, fsync, rename, dir fsync).
        var fromUpdateCall = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        /// From a bare `rename(2)` of a prepared file: the reader's own latency.
        var fromRename = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var timeouts = 0
    }

    func run(path: String, reader: ControlFileReader) throws -> Result {
        let clock = PublicationClock()
        reader.onChange = { _, generation in clock.published(generation) }
        defer { reader.onChange = nil }
        let writer = ControlFileWriter(path: path, updatedBy: "chaos-bench")
        var result = Result()

        for index in 0..<writes {
            let start = MonotonicClock.now()
            let written = try writer.update { $0.flags["bench-toggle"] = Flag(enabled: index % 2 == 0) }
            if let seen = clock.wait(for: written.generation) {
                _ = result.fromUpdateCall.record(seen - start)
            } else {
                result.timeouts += 1
            }
            usleep(2_000)   // space the writes so each is a separate event, as in real use
        }

        let directory = (path as NSString).deletingLastPathComponent
        var generation = try writer.read().generation
        for index in 0..<writes {
            generation += 1
            let document = ControlDocument(generation: generation,
                                           flags: ["bench-toggle": Flag(enabled: index % 2 == 0)])
            let temp = "\(directory)/.control.json.tmp.bench"
            try document.encoded().write(to: URL(fileURLWithPath: temp))
            let start = MonotonicClock.now()
            guard rename(temp, path) == 0 else { throw BenchUsage(message: "rename failed: errno \(errno)") }
            if let seen = clock.wait(for: generation) {
                _ = result.fromRename.record(seen - start)
            } else {
                result.timeouts += 1
            }
            usleep(2_000)
        }
        return result
    }
}

/// When each generation was published, as stamped by the reader's onChange callback.
// @unchecked Sendable: stamps are read and written only under `condition`.
final class PublicationClock: @unchecked Sendable {
    private let condition = NSCondition()
    private var stamps: [UInt64: UInt64] = [:]

    func published(_ generation: UInt64) {
        let now = MonotonicClock.now()
        condition.withLock {
            stamps[generation] = now
            condition.broadcast()
        }
    }

    /// The publication time of `generation`, or nil if not seen within 5 s.
    func wait(for generation: UInt64) -> UInt64? {
        let deadline = Date().addingTimeInterval(5)
        return condition.withLock {
            while stamps[generation] == nil {
                if !condition.wait(until: deadline) { return nil }
            }
            return stamps[generation]
        }
    }
}
