import ChaosLoad

/// The measured path: k6's output read by `K6OutputReader` into a counting sink.
enum IngestBenchmark {
    struct Counter: LoadSampleSink {
        var requests = 0
        var failures = 0
        mutating func record(_ sample: LoadSample) {
            requests += 1
            if sample.outcome == .failure { failures += 1 }
        }
    }

    static func run(path: String) throws -> (lines: Int, requests: Int, unreadable: Int) {
        let reader = K6OutputReader(path: path)
        var sink = Counter()
        reader.finish(into: &sink)
        return (reader.counts.lines, sink.requests, reader.counts.unreadableLines)
    }
}
