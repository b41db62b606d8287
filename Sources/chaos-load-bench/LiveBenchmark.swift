import ChaosLoad
import ChaosSystem
import Foundation

/// Tails a k6 `--out json` file while it is written, as the runner does (`K6OutputReader`
/// polled into a `LiveLoadWindow` every 250 ms, Sources/ChaosExperiment/LoadTracker.swift),
/// and measures how far behind it is: per poll, the time spent reading and the age of the
/// newest request seen (now − its `data.time`; this includes the writer's own buffering),
/// and per request, its age when first seen.
enum LiveBenchmark {
    struct Figures {
        var polls = 0
        var requests = 0
        var maxPollSeconds = 0.0
        /// Per poll that saw anything: age of the newest request seen so far.
        var newestAges: [Double] = []
        /// Per request: its age at the poll that first saw it.
        var pointAges: [Double] = []
    }

    /// The runner's live window, plus the stamps of the requests seen in this poll.
    struct Sink: LoadSampleSink {
        var window = LiveLoadWindow(seconds: 60)
        var newestWall: Int64?
        var seenThisPoll: [Int64] = []
        mutating func record(_ sample: LoadSample) {
            window.record(sample)
            newestWall = max(newestWall ?? sample.wallNanoseconds, sample.wallNanoseconds)
            seenThisPoll.append(sample.wallNanoseconds)
        }
    }

    /// Polls for `seconds`, or until the file `doneMarker` exists (the writer is done): then
    /// once more, so what the writer wrote last is read, and no poll after that is measured.
    static func run(path: String, seconds: Double, doneMarker: String? = nil) -> Figures {
        let reader = K6OutputReader(path: path)
        var sink = Sink()
        var figures = Figures()
        let deadline = MonotonicClock.deadline(after: seconds)
        while MonotonicClock.now() < deadline {
            let writerDone = doneMarker.map { FileManager.default.fileExists(atPath: $0) } ?? false
            let started = MonotonicClock.now()
            sink.seenThisPoll.removeAll(keepingCapacity: true)
            figures.requests += reader.poll(into: &sink)
            figures.maxPollSeconds = max(figures.maxPollSeconds, MonotonicClock.seconds(since: started))
            figures.polls += 1
            let now = ClockReading.now().wallNanoseconds
            if let newest = sink.newestWall { figures.newestAges.append(Double(now - newest) / 1e9) }
            figures.pointAges += sink.seenThisPoll.map { Double(now - $0) / 1e9 }
            if writerDone { break }
            usleep(250_000)
        }
        return figures
    }

    /// `p50`, `p99` and `max` of `values`, for the printed line.
    static func quantiles(_ values: [Double]) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "none" }
        func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        return String(format: "p50=%.3f p99=%.3f max=%.3f", at(0.5), at(0.99), sorted.last!)
    }
}
