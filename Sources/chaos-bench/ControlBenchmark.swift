import ChaosControl
import Foundation
import Histogram

/// `chaos-bench control`: hot-path cost and change propagation of ChaosControl.
enum ControlBenchmark {
    /// The 1-minute load average, so readers of the output can judge the machine's state.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return String(text.split(separator: " ").first ?? "?")
    }

    static func run(arguments: [String]) throws {
        var calls = 20_000_000
        var writes = 200
        var parent = NSTemporaryDirectory()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--calls": calls = Int(iterator.next() ?? "") ?? calls
            case "--writes": writes = Int(iterator.next() ?? "") ?? writes
            case "--dir": parent = iterator.next() ?? parent   // e.g. /dev/shm to take the disk out of update()
            default: throw BenchUsage(message: "unknown option \(argument) (options: --calls N, --writes N, --dir PATH)")
            }
        }

        let directory = (parent as NSString).appendingPathComponent("chaos-bench-control-\(getpid())")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/control.json"
        try ControlFileWriter(path: path, updatedBy: "chaos-bench").update { document in
            document.flags["drop-s3"] = Flag(percent: 10)
            document.flags["slow-db"] = Flag(percent: 50, latencyMilliseconds: 100, jitterMilliseconds: 50)
            document.flags["fail-auth"] = Flag(enabled: false, mode: .fallback)
        }
        let reader = ControlFileReader(path: path, pollInterval: .seconds(1), seed: 42)
        defer { reader.stop() }

        let counting = allocationCounterWorks()
        print("ChaosControl hot path (\(calls) calls × 5 repetitions, single thread;")
        print("  thread CPU ns per call, median [best], then wall-clock median; load average \(loadAverage())):")
        let results = HotPathBenchmark(calls: calls, repetitions: 5).run(reader: reader)
        let reference = results.first { $0.name == "ref: Dictionary + Double.random(using: SplitMix)" }!
        let locked = results.first { $0.name == "ref: Mutex { Dictionary + SplitMix }" }!
        print("  ratios are against the fast-generator references (dict / mutex)")
        for result in results {
            let allocations = counting ? String(format: "%.4f", result.allocationsPerCall) : "n/a"
            let name = result.name.padding(toLength: 48, withPad: " ", startingAt: 0)
            print("  " + name + String(format: " %8.2f ns [%8.2f] wall %8.2f  allocs/call ", result.nanosecondsPerCall,
                                       result.bestNanosecondsPerCall, result.wallNanosecondsPerCall)
                  + allocations
                  + String(format: "  ratio %.3f / %.3f", result.nanosecondsPerCall / reference.nanosecondsPerCall,
                           result.nanosecondsPerCall / locked.nanosecondsPerCall))
        }
        if counting {
            var arrays: [[Int]] = []
            let counted = allocationsDuring {
                for index in 0..<1000 { arrays.append(Array(repeating: index, count: 100 + CommandLine.arguments.count)) }
            }
            print("  allocation counter self-check: 1000 heap arrays (+ growth of their list) counted as \(counted)")
        }
        if !counting { print("  (allocation counter inactive: link with --export-dynamic, see Package.swift)") }
        let benchmark = HotPathBenchmark(calls: calls, repetitions: 5)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for threads in [2, 4].filter({ $0 <= max(2, cores) }) {
            print(String(format: "  ChaosControl fires() 10 %%, %d threads at once      %8.2f ns CPU per call per thread",
                         threads, benchmark.concurrent(reader: reader, threads: threads)))
        }
        print("  sink \(results.reduce(0) { $0 &+ $1.sink })")

        print("write → reader sees it (\(writes) writes each way in \(directory), inotify, stamped at publication):")
        let propagation = try PropagationBenchmark(writes: writes).run(path: path, reader: reader)
        func milliseconds(_ nanoseconds: UInt64) -> String { String(format: "%7.3f ms", Double(nanoseconds) / 1e6) }
        for (label, histogram) in [("ControlFileWriter.update() → visible", propagation.fromUpdateCall),
                                   ("rename(2) → visible (reader alone)", propagation.fromRename)] {
            print("  \(label.padding(toLength: 38, withPad: " ", startingAt: 0)) p50 \(milliseconds(histogram.valueAtPercentile(50)))"
                  + "  p99 \(milliseconds(histogram.valueAtPercentile(99)))  max \(milliseconds(histogram.max))")
        }
        print("  (update() includes flock, read, fsync of the new file, rename and directory fsync)")
        if propagation.timeouts > 0 { print("  TIMEOUTS: \(propagation.timeouts) writes not seen within 5 s") }

        let rounds = 50
        print("expires_at → flag off, no file change (\(rounds) flags expiring 50 ms after their write, sampled every 0.1 ms):")
        let expiry = try ExpiryBenchmark(rounds: rounds).run(path: path, reader: reader)
        print("  lateness after expires_at              p50 \(milliseconds(expiry.lateness.valueAtPercentile(50)))"
              + "  p99 \(milliseconds(expiry.lateness.valueAtPercentile(99)))  max \(milliseconds(expiry.lateness.max))  (target < 100 ms)")
        if expiry.unobserved > 0 { print("  \(expiry.unobserved) rounds not measured: the flag was never seen on before it expired") }
    }
}
