import ChaosLoad
import Foundation
import FuzzSupport

/// One target for the four load-generator parsers of ChaosLoad, chosen by the input's first
/// byte (its value mod 4: '0' k6 `--out json` lines, '1' k6 `--summary-export`, '2' Locust
/// `_stats_history.csv`, '3' mapped per-request JSONL). The second byte says where the live
/// tail cuts the payload in two writes and, for JSONL, which field mapping is used; the rest
/// is the file. Why one target and not four: one ASan build and one CI slot instead of four,
/// the tail-twice check is written once, and the parsers share the JSON scanner, the tailer
/// and the RFC 3339 reader, whose coverage all four inputs feed.
func fuzzLoadOutput(_ input: [UInt8]) {
    guard input.count >= 2 else { return }
    let payload = input[2...]
    let cut = Int(input[1] >> 2) * payload.count / 63
    switch input[0] % 4 {
    case 0:
        let reading = readWholeAndTailed(payload, cut: cut) { K6OutputReader(path: ScratchFile.path) }
        checkAccounting(reading, payload: payload)
    case 1:
        fuzzSummaryExport(Data(payload))
    case 2:
        fuzzLocustHistory(payload, cut: cut)
    default:
        let mapping = FuzzedMappings.all[Int(input[1] & 3)]
        let reading = readWholeAndTailed(payload, cut: cut) { JSONLRequestReader(path: ScratchFile.path, mapping: mapping) }
        checkAccounting(reading, payload: payload)
    }
}

/// A summary is read at once after k6 ends; the same bytes must always read the same.
func fuzzSummaryExport(_ data: Data) {
    let first = Result { try K6SummaryExport.parse(data, path: "/fuzz/summary.json") }
    let second = Result { try K6SummaryExport.parse(data, path: "/fuzz/summary.json") }
    switch (first, second) {
    case (.success(let a), .success(let b)) where a == b: break
    case (.failure(let a as K6SummaryExport.Invalid), .failure(let b as K6SummaryExport.Invalid)) where a == b: break
    default: fatalError("reading the same summary twice gave \(first) and \(second)")
    }
}

/// Locust's history read at once and tailed in two writes must give the same rows.
func fuzzLocustHistory(_ payload: ArraySlice<UInt8>, cut: Int) {
    func read(parts: [ArraySlice<UInt8>]) -> (rows: [LocustHistoryRow], counts: IngestCounts, problems: [LoadProblem]) {
        ScratchFile.reset()
        let reader = LocustHistoryReader(path: ScratchFile.path)
        for part in parts {
            ScratchFile.append(part)
            reader.poll()
        }
        reader.finish()
        return (reader.rows, reader.counts, reader.problems)
    }
    let whole = read(parts: [payload])
    let split = payload.startIndex + min(cut, payload.count)
    let tailed = read(parts: [payload[..<split], payload[split...]])
    guard whole.rows == tailed.rows, whole.counts == tailed.counts, whole.problems == tailed.problems else {
        fatalError("Locust history read in two writes (cut at byte \(cut)) differs from reading at once")
    }
}

/// Field mappings an experiment file may give, covering every time unit and both verdicts.
enum FuzzedMappings {
    static let all: [JSONLFieldMapping] = [
        JSONLFieldMapping(timestamp: "ts", timestampUnit: .seconds, latency: "ms", latencyUnit: .milliseconds,
                          verdict: .success(field: "ok"), name: "name"),
        JSONLFieldMapping(timestamp: "time", timestampUnit: .rfc3339, latency: "timing.total", latencyUnit: .microseconds,
                          verdict: .status(field: "status"), name: "route"),
        JSONLFieldMapping(timestamp: "t", timestampUnit: .nanoseconds, latency: "d", latencyUnit: .seconds,
                          verdict: .status(field: "code")),
        JSONLFieldMapping(timestamp: "t", timestampUnit: .milliseconds, latency: "lat", latencyUnit: .nanoseconds,
                          verdict: .success(field: "meta.ok"), name: "meta.name"),
    ]
}

#if CHAOS_FUZZING
/// libFuzzer's entry point (it brings its own `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzLoadOutput(FuzzEntry.bytes(data, size))
    return 0
}
#else
/// The normal build's entry point: replays the files named on the command line.
@main enum Replay { static func main() { FuzzEntry.replay(fuzzLoadOutput) } }
#endif
