import ChaosLoad
import ChaosSystem
import Foundation

/// Tails a k6 `--out json` file while k6 writes it, as the runner does (a poll every 250 ms
/// into a LiveLoadWindow), and measures how far behind it is: per poll, the time spent
/// reading and the age of the newest request seen (now − its `data.time`; this includes k6's
/// own buffering, about 1 s).
enum LiveBenchmark {
    struct Figures {
        var polls = 0
        var requests = 0
        var maxPollSeconds = 0.0
        var ages: [Double] = []
    }

    /// The runner's live window, plus the exact stamp of the newest request seen.
    struct Sink: LoadSampleSink {
        var window = LiveLoadWindow(seconds: 60)
        var newestWall: Int64?
        mutating func record(_ sample: LoadSample) {
            window.record(sample)
            newestWall = max(newestWall ?? sample.wallNanoseconds, sample.wallNanoseconds)
        }
    }

    static func run(path: String, seconds: Double) -> Figures {
        let reader = K6OutputReader(path: path)
        var sink = Sink()
        var figures = Figures()
        let deadline = MonotonicClock.deadline(after: seconds)
        while MonotonicClock.now() < deadline {
            let started = MonotonicClock.now()
            figures.requests += reader.poll(into: &sink)
            figures.maxPollSeconds = max(figures.maxPollSeconds, MonotonicClock.seconds(since: started))
            figures.polls += 1
            let now = ClockReading.now()
            if let newest = sink.newestWall { figures.ages.append(Double(now.wallNanoseconds - newest) / 1e9) }
            usleep(250_000)
        }
        return figures
    }
}
