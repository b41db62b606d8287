import ChaosControl
import Foundation

/// `control-conformance --bench SECONDS`: ns per decision of a firing and a non-firing flag
/// against Swift's cheapest equivalent (a dictionary lookup plus one standard-RNG call),
/// measured in the same run; prints one JSON line (scripts/bench-clients.sh).
enum DecisionBench {
    static func run(seconds: Double) {
        let directory = NSTemporaryDirectory() + "control-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/control.json"
        let document = #"{"version": 1, "generation": 1, "flags": {"hot": {"enabled": true, "latency_ms": 5, "jitter_ms": 2}, "cold": {"enabled": true, "percent": 0}}}"#
        FileManager.default.createFile(atPath: path, contents: Data(document.utf8))
        let reader = ControlFileReader(path: path)
        defer { reader.stop() }
        let hot = reader.flag("hot"), cold = reader.flag("cold")
        let percents: [String: Double] = ["hot": 100, "cold": 0]
        var sink: UInt64 = 0
        let each = seconds / 3
        let fire = measure(each) { sink &+= hot.decide().delayNanoseconds }
        let noFire = measure(each) { sink &+= cold.decide().fires ? 1 : 0 }
        let reference = measure(each) {
            if Double.random(in: 0..<100) < percents["hot", default: 0] { sink &+= 1 }
        }
        print(#"{"language": "swift", "fire_ns": \#(fire), "nofire_ns": \#(noFire), "reference_ns": \#(reference), "sink": \#(sink % 2)}"#)
    }

    /// Average ns per call of `body` over about `seconds`, in batches of 100 000.
    private static func measure(_ seconds: Double, _ body: () -> Void) -> Double {
        for _ in 0..<100_000 { body() }   // warm-up
        var calls = 0
        let start = MonotonicClock.now()
        let end = start + UInt64(seconds * 1e9)
        var now = start
        while now < end {
            for _ in 0..<100_000 { body() }
            calls += 100_000
            now = MonotonicClock.now()
        }
        return (Double(now - start) / Double(calls) * 100).rounded() / 100
    }
}
