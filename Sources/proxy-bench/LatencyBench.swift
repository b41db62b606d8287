import ChaosSystem
import ChaosProxy
import Foundation
import Glibc

/// How exactly the latency toxic adds its delay: echo round trips through a proxy with
/// `latency` ms (downstream, no jitter) minus the median round trip through the same
/// engine without toxic. Prints p50/p99/max of the error.
func runLatencyBench(engine: EpollProxyEngine, latencyMs: Int64, samples: Int) throws {
    let echoPort = BenchSockets.serve(BenchSockets.echo)
    let plain = try engine.start(proxy: "plain", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(echoPort)", toxics: [])
    let toxic = try engine.start(proxy: "latency", listen: "127.0.0.1:0", upstream: "127.0.0.1:\(echoPort)", toxics: [
        ToxicSpec(name: "lat", stream: .downstream, toxicity: 1, kind: .latency(latencyMs: latencyMs, jitterMs: 0)),
    ])
    let plainFd = BenchSockets.connect(port: UInt16(plain.split(separator: ":").last!)!)
    let toxicFd = BenchSockets.connect(port: UInt16(toxic.split(separator: ":").last!)!)
    defer {
        close(plainFd)
        close(toxicFd)
    }
    func roundTrip(_ fd: Int32) -> UInt64 {
        var byte: UInt8 = 1
        let start = MonotonicClock.now()
        _ = send(fd, &byte, 1, Int32(MSG_NOSIGNAL))
        _ = read(fd, &byte, 1)
        return MonotonicClock.now() - start
    }
    for _ in 0..<5 { _ = roundTrip(plainFd); _ = roundTrip(toxicFd) }
    var baseline = (0..<200).map { _ in roundTrip(plainFd) }.sorted()
    let base = baseline[baseline.count / 2]
    var errorsUs: [Double] = []
    for _ in 0..<samples {
        let rtt = roundTrip(toxicFd)
        errorsUs.append((Double(rtt) - Double(base) - Double(latencyMs) * 1e6) / 1e3)
        baseline.append(roundTrip(plainFd))
    }
    let sorted = errorsUs.sorted()
    func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
    print(String(format: "latency %lld ms, %d samples: baseline RTT p50 %.1f µs; added-delay error p50 %+.1f µs, p99 %+.1f µs, min %+.1f µs, max %+.1f µs",
                 latencyMs, samples, Double(base) / 1e3, pct(0.5), pct(0.99), sorted.first!, sorted.last!))
    engine.stop(proxy: "plain")
    engine.stop(proxy: "latency")
}
