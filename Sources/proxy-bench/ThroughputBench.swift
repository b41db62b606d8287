import ChaosSystem
import ChaosProxy
import Foundation
import Glibc

/// Loopback throughput of one connection: direct, through the proxy on the splice path (no
/// toxic), and on the buffered path (a latency toxic of 0 ms forces copying).
func runThroughputBench(engine: EpollProxyEngine, megabytes: Int) throws {
    let sinkPort = BenchSockets.serve(BenchSockets.discard)
    let spliced = try engine.start(proxy: "splice", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(sinkPort)", toxics: [])
    let buffered = try engine.start(proxy: "buffered", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(sinkPort)", toxics: [
        ToxicSpec(name: "zero", stream: .upstream, toxicity: 1, kind: .latency(latencyMs: 0, jitterMs: 0)),
    ])
    /// User+system CPU seconds of the whole process so far: stabler than wall time on a
    /// shared machine, and the proxy's cost is the difference to the direct run.
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    func measure(port: UInt16) -> (mbPerSecond: Double, cpuSecondsPerGiB: Double) {
        let cpuStart = cpuSeconds()
        let fd = BenchSockets.connect(port: port)
        let chunk = [UInt8](repeating: 0xab, count: 256 * 1024)
        let total = megabytes << 20
        let start = MonotonicClock.now()
        var sent = 0
        while sent < total {
            let n = chunk.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        shutdown(fd, Int32(SHUT_WR))
        var byte: UInt8 = 0
        _ = read(fd, &byte, 1)  // EOF once the sink has read everything and closed
        close(fd)
        let seconds = Double(MonotonicClock.now() - start) / 1e9
        return (Double(sent) / 1e6 / seconds, (cpuSeconds() - cpuStart) / (Double(sent) / Double(1 << 30)))
    }
    let direct = measure(port: sinkPort)
    let viaSplice = measure(port: UInt16(spliced.split(separator: ":").last!)!)
    let viaBuffer = measure(port: UInt16(buffered.split(separator: ":").last!)!)
    print(String(format: "throughput, %d MiB one way: direct %.0f MB/s (%.2f CPU s/GiB), proxy splice %.0f MB/s (%.2f CPU s/GiB), proxy buffered %.0f MB/s (%.2f CPU s/GiB)",
                 megabytes, direct.mbPerSecond, direct.cpuSecondsPerGiB, viaSplice.mbPerSecond, viaSplice.cpuSecondsPerGiB,
                 viaBuffer.mbPerSecond, viaBuffer.cpuSecondsPerGiB))
    engine.stop(proxy: "splice")
    engine.stop(proxy: "buffered")
}
