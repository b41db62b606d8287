import ChaosSystem
import ChaosLoad
import Foundation

// chaos-load-bench: ChaosLoad's ingest benchmark, driven by scripts/bench-load.sh.
//   chaos-load-bench generate FILE POINTS     write a synthetic k6 --out json file
//   chaos-load-bench ingest FILE SECONDS      ChaosLoad's reader, cut into pre/during/post + recovery
//   chaos-load-bench ingest-foundation FILE   the same lines through JSONDecoder (reference)
//   chaos-load-bench live FILE SECONDS [DONE] tail a file k6 is writing, as the runner does (until file DONE exists)
//   chaos-load-bench replay REC FILE RATE SECONDS [FLUSH_S]
//                                             append a real k6 recording to FILE at RATE requests/s (NOT k6)
// Prints one `key=value` line per figure; the script computes the ratios.

func peakRSSKilobytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
}

func seconds(since start: UInt64) -> Double { MonotonicClock.seconds(since: start) }

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: chaos-load-bench generate FILE POINTS | ingest FILE SECONDS | ingest-foundation FILE | live FILE SECONDS [DONE] | replay REC FILE RATE SECONDS [FLUSH_S]\n".utf8))
    exit(2)
}
let path = arguments[2]
switch arguments[1] {
case "generate":
    guard arguments.count == 4, let points = Int(arguments[3]) else { exit(2) }
    let written = try SyntheticK6Output.write(path: path, points: points, start: IngestBenchmark.start,
                                              requestsPerSecond: IngestBenchmark.requestsPerSecond)
    print("points=\(written.points) requests=\(written.requests) seconds=\(Double(written.requests) / IngestBenchmark.requestsPerSecond)")
case "ingest":
    guard arguments.count == 4, let span = Double(arguments[3]) else { exit(2) }
    let start = MonotonicClock.now()
    let result = IngestBenchmark.run(path: path, seconds: span)
    let elapsed = seconds(since: start)
    print("lines=\(result.lines) requests=\(result.requests) unreadable=\(result.unreadable) seconds=\(elapsed) rss_kb=\(peakRSSKilobytes())")
case "ingest-foundation":
    let start = MonotonicClock.now()
    let (lines, requests) = try FoundationK6Decoding.count(path: path)
    let elapsed = seconds(since: start)
    print("lines=\(lines) requests=\(requests) unreadable=0 seconds=\(elapsed) rss_kb=\(peakRSSKilobytes())")
case "live":
    guard arguments.count >= 4, let span = Double(arguments[3]) else { exit(2) }
    let figures = LiveBenchmark.run(path: path, seconds: span, doneMarker: arguments.count > 4 ? arguments[4] : nil)
    print("polls=\(figures.polls) requests_seen=\(figures.requests) max_poll_s=\(String(format: "%.3f", figures.maxPollSeconds)) " +
          "rss_kb=\(peakRSSKilobytes())")
    print("newest_age_s: \(LiveBenchmark.quantiles(figures.newestAges))")
    print("point_age_s: \(LiveBenchmark.quantiles(figures.pointAges))")
case "replay":
    guard arguments.count >= 6, let rate = Double(arguments[4]), let span = Double(arguments[5]) else { exit(2) }
    let flush = arguments.count > 6 ? Double(arguments[6]) ?? 1 : 1
    let done = try K6Replay.run(recording: path, output: arguments[3], rate: rate, seconds: span, flushSeconds: flush)
    print("requests=\(done.requests) lines=\(done.lines) rate=\(String(format: "%.0f", done.rate))")
default:
    exit(2)
}
