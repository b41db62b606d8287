import ChaosLoad

/// What a line reader made of a file: every sample, its counts and its problems.
struct LineReading: Equatable {
    var samples: [LoadSample] = []
    var counts = IngestCounts()
    var problems: [LoadProblem] = []
}

/// Keeps every sample, and hands each to what the runner feeds: the live window (status line,
/// stop conditions) and the phase accumulator (the verdict), over a plan around the seeds' day.
struct CollectingSink: LoadSampleSink {
    var samples: [LoadSample] = []
    var live = LiveLoadWindow(seconds: 10)
    var phases = PhaseAccumulator(plan: FuzzedPlan.plan)
    mutating func record(_ sample: LoadSample) {
        samples.append(sample)
        live.record(sample)
        phases.record(sample)
    }
}

enum FuzzedPlan {
    /// 2026-12-03 15:51:50 UTC, 20 s of load, a fault from 5 s to 10 s.
    static let plan: LoadPhasePlan = {
        func at(_ seconds: Int64) -> ClockReading {
            ClockReading(monotonicNanoseconds: UInt64(1_000 + seconds) * 1_000_000_000,
                         wallNanoseconds: (1_796_313_110 + seconds) * 1_000_000_000)
        }
        return .standard(loadStart: at(0), loadEnd: at(20), faults: [FaultWindow(name: "fault", start: at(5), end: at(10))])
    }()
}

/// Reads `payload` with a fresh reader twice: once written whole before the first poll (a
/// finished run read after the fact), once written in two parts with a poll between them,
/// cut at `cut` (the live tail, a write landing in the middle of a line). Both must give
/// the same result, which is returned.
func readWholeAndTailed(_ payload: ArraySlice<UInt8>, cut: Int,
                        reader make: () -> some GeneratorOutputReader) -> LineReading {
    func read(parts: [ArraySlice<UInt8>]) -> LineReading {
        ScratchFile.reset()
        let reader = make()
        var sink = CollectingSink()
        for part in parts {
            ScratchFile.append(part)
            reader.poll(into: &sink)
        }
        reader.finish(into: &sink)
        _ = sink.live.recent(seconds: 5)
        _ = sink.phases.summary(tool: .k6, source: ScratchFile.path, counts: reader.counts, problems: reader.problems)
        return LineReading(samples: sink.samples, counts: reader.counts, problems: reader.problems)
    }
    let whole = read(parts: [payload])
    let split = payload.startIndex + min(cut, payload.count)
    let tailed = read(parts: [payload[..<split], payload[split...]])
    guard whole == tailed else {
        fatalError("reading in two writes (cut at byte \(cut)) differs from reading at once:\n\(whole)\n\(tailed)")
    }
    return whole
}

/// Checks that every line was accounted for (a sample, another kind, or unreadable) and that
/// every sample is one the phase accumulator can take.
func checkAccounting(_ reading: LineReading, payload: ArraySlice<UInt8>) {
    let newlines = payload.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    let expectedLines = newlines + (payload.last.map { $0 != 0x0A } ?? false ? 1 : 0)
    let c = reading.counts
    guard c.lines == expectedLines, c.requests + c.otherLines + c.unreadableLines == c.lines,
          c.requests == reading.samples.count else {
        fatalError("lines not all accounted for: \(expectedLines) lines in the input, counts \(c)")
    }
    guard c.unreadableLines == 0 || !reading.problems.isEmpty else {
        fatalError("\(c.unreadableLines) unreadable line(s) but no problem reported")
    }
    for sample in reading.samples where !(sample.latencyMilliseconds.isFinite && sample.latencyMilliseconds >= 0) {
        fatalError("a sample with latency \(sample.latencyMilliseconds) ms was delivered")
    }
}
