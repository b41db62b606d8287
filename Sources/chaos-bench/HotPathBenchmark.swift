import ChaosControl
import Foundation
import Synchronization

/// ns per decision for ChaosControl's handles against the obvious alternatives a service
/// might write, all measured in this run on this machine.
struct HotPathBenchmark {
    let calls: Int
    let repetitions: Int

    struct Result {
        let name: String
        let nanosecondsPerCall: Double   // thread CPU time, median of the repetitions
        let bestNanosecondsPerCall: Double
        let wallNanosecondsPerCall: Double   // wall clock, median
        let allocationsPerCall: Double
        let sink: Int
    }

    func run(reader: ControlFileReader) -> [Result] {
        let drop = reader.flag("drop-s3")          // percent 10
        let slow = reader.flag("slow-db")          // percent 50, latency 100 ± 50 ms
        let off = reader.flag("fail-auth")         // disabled: the common production case
        // The references: what a service would write without this library.
        let table: [String: Bool] = ["drop-s3": true, "slow-db": true, "fail-auth": false]
        let percents: [String: Double] = ["drop-s3": 10, "slow-db": 50, "fail-auth": 100]
        let locked = Mutex((table, percents))

        // Double.random's default generator makes a getrandom(2) syscall per call (~1 µs),
        // so those references run fewer calls; ns/call stays comparable.
        let slowCalls = max(1000, calls / 50)
        return [
            measure("ChaosControl fires()   10 %") { count in Self.fires(drop, count) },
            measure("ChaosControl fires()   disabled flag") { count in Self.fires(off, count) },
            measure("ChaosControl decide()  50 %, 100±50 ms") { count in Self.decide(slow, count) },
            measure("ref: Dictionary + Double.random", calls: slowCalls) { count in
                Self.dictionary(table, percents, count)
            },
            measure("ref: Mutex { Dictionary + Double.random }", calls: slowCalls) { count in
                Self.mutex(locked, count)
            },
            measure("ref: Dictionary + Double.random(using: SplitMix)") { count in
                Self.dictionaryFastRandom(table, percents, count)
            },
            measure("ref: Mutex { Dictionary + SplitMix }") { count in Self.mutexFastRandom(locked, count) },
        ]
    }

    /// ns per call per thread with `threads` threads calling at once (shared random state
    /// and snapshot pointer: this shows the cost of cache-line traffic between cores).
    func concurrent(reader: ControlFileReader, threads: Int) -> Double {
        let drop = reader.flag("drop-s3")
        let perThread = calls / 2
        let results = ThreadResults(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            _ = Self.fires(drop, perThread / 10)
            let start = threadCPUNanoseconds()
            let fired = Self.fires(drop, perThread)
            results.set(index, Double(threadCPUNanoseconds() - start) / Double(perThread), sink: fired)
        }
        return results.values.reduce(0, +) / Double(threads)
    }

    private func measure(_ name: String, calls: Int? = nil, _ body: (Int) -> Int) -> Result {
        let calls = calls ?? self.calls
        _ = body(calls / 10)   // warm-up: caches, branch predictors, lazy globals
        var samples: [Double] = []
        var wallSamples: [Double] = []
        var sink = 0
        var allocations = 0
        for _ in 0..<repetitions {
            var result = 0
            let start = MonotonicClock.now()
            let cpuStart = threadCPUNanoseconds()
            allocations += allocationsDuring { result = body(calls) }
            let cpu = threadCPUNanoseconds() - cpuStart
            let wall = MonotonicClock.now() - start
            sink &+= result
            samples.append(Double(cpu) / Double(calls))
            wallSamples.append(Double(wall) / Double(calls))
        }
        samples.sort()
        wallSamples.sort()
        return Result(name: name, nanosecondsPerCall: samples[samples.count / 2],
                      bestNanosecondsPerCall: samples[0], wallNanosecondsPerCall: wallSamples[wallSamples.count / 2],
                      allocationsPerCall: Double(allocations) / Double(calls * repetitions), sink: sink)
    }

    // Each loop is its own non-inlined function so the optimiser treats them alike and
    // cannot hoist the per-call work out of the loop; results feed a sink that is printed.

    @inline(never)
    static func fires(_ handle: FlagHandle, _ count: Int) -> Int {
        var fired = 0
        for _ in 0..<count where handle.fires() { fired &+= 1 }
        return fired
    }

    @inline(never)
    static func decide(_ handle: FlagHandle, _ count: Int) -> Int {
        var total = 0
        for _ in 0..<count {
            let decision = handle.decide()
            total &+= Int(truncatingIfNeeded: decision.delayNanoseconds) &+ (decision.fires ? 1 : 0)
        }
        return total
    }

    @inline(never)
    static func dictionary(_ table: [String: Bool], _ percents: [String: Double], _ count: Int) -> Int {
        var fired = 0
        for _ in 0..<count {
            if table["drop-s3"] == true, Double.random(in: 0..<100) < (percents["drop-s3"] ?? 0) { fired &+= 1 }
        }
        return fired
    }

    @inline(never)
    static func dictionaryFastRandom(_ table: [String: Bool], _ percents: [String: Double], _ count: Int) -> Int {
        var generator = FastGenerator()
        var fired = 0
        for _ in 0..<count {
            if table["drop-s3"] == true, Double.random(in: 0..<100, using: &generator) < (percents["drop-s3"] ?? 0) {
                fired &+= 1
            }
        }
        return fired
    }

    @inline(never)
    static func mutexFastRandom(_ locked: borrowing Mutex<([String: Bool], [String: Double])>, _ count: Int) -> Int {
        var generator = FastGenerator()
        var fired = 0
        for _ in 0..<count {
            let fires = locked.withLock { state in
                state.0["drop-s3"] == true && Double.random(in: 0..<100, using: &generator) < (state.1["drop-s3"] ?? 0)
            }
            if fires { fired &+= 1 }
        }
        return fired
    }

    @inline(never)
    static func mutex(_ locked: borrowing Mutex<([String: Bool], [String: Double])>, _ count: Int) -> Int {
        var fired = 0
        for _ in 0..<count {
            let fires = locked.withLock { state in
                state.0["drop-s3"] == true && Double.random(in: 0..<100) < (state.1["drop-s3"] ?? 0)
            }
            if fires { fired &+= 1 }
        }
        return fired
    }
}

/// A thread-confined SplitMix64 for the references, so they are not dominated by syscalls.
struct FastGenerator: RandomNumberGenerator {
    private var state: UInt64 = 0x1234_5678

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Per-thread timings collected from `concurrentPerform`.
// @unchecked Sendable: storage is guarded by `lock`; `sink` only defeats dead-code elimination and is never read for results.
final class ThreadResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Double]
    private(set) var sink = 0

    init(count: Int) { storage = Array(repeating: 0, count: count) }

    func set(_ index: Int, _ value: Double, sink fired: Int) {
        lock.withLock {
            storage[index] = value
            sink &+= fired
        }
    }

    var values: [Double] { lock.withLock { storage } }
}
