// Probe loop benchmark: runs a TCP probe at a fixed rate against a listener the caller
// provides (scripts/bench-probe.sh starts one in another process, so its CPU is not counted
// here) and prints schedule drift and this process's CPU use.
//
//   chaos-probe-bench --port N [--host 127.0.0.1] [--rate 100] [--seconds 60] [--realtime]
import ChaosSystem
import Foundation
import ChaosProbe
#if canImport(Glibc)
import Glibc
#endif

func option(_ name: String, default value: String?) -> String? {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return value
}

guard let portText = option("--port", default: nil), let port = UInt16(portText) else {
    FileHandle.standardError.write(Data("usage: chaos-probe-bench --port N [--host H] [--rate PER_S] [--seconds S]\n".utf8))
    exit(2)
}
let host = option("--host", default: "127.0.0.1")!
let rate = Double(option("--rate", default: "100")!) ?? 100
let seconds = Double(option("--seconds", default: "60")!) ?? 60

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

/// Hypervisor steal time so far (jiffies → seconds): on a shared VM, scheduling stalls that no
/// process priority can prevent show up here.
func stealSeconds() -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let cpu = stat.split(separator: "\n").first?.split(separator: " "), cpu.count > 8,
          let steal = Double(cpu[8]) else { return 0 }
    return steal / Double(sysconf(Int32(_SC_CLK_TCK)))
}

let loop = ProbeLoop(probes: [TCPProbe(host: host, port: port, timeout: 1)], interval: 1 / rate,
                     realtimeScheduler: CommandLine.arguments.contains("--realtime"))
let cpuBefore = cpuSeconds()
let stealBefore = stealSeconds()
let wallBefore = MonotonicClock.now()
let run = loop.run(for: seconds)
let wall = Double(MonotonicClock.now() - wallBefore) / 1e9
let cpu = cpuSeconds() - cpuBefore
let steal = stealSeconds() - stealBefore

let schedule = loop.scheduleStatistics
let lags = run.samples.filter { !$0.skipped }.map { Double($0.startNanoseconds - $0.plannedNanoseconds) / 1e6 }.sorted()
func percentile(_ p: Double) -> Double { lags.isEmpty ? 0 : lags[min(lags.count - 1, Int(Double(lags.count) * p / 100))] }
let stats = PhaseStatistics.overall(run)

print(String(format: "probes: %d over %.1f s at %.0f/s (%d ticks, %d missed), %d failed",
             stats.count, wall, rate, schedule.ticks, schedule.missedTicks, stats.failures))
print(String(format: "scheduler wake-up vs plan: max %.3f ms, mean %.3f ms (SCHED_FIFO scheduler: %@)",
             Double(schedule.maxLatenessNanoseconds) / 1e6, schedule.meanLatenessNanoseconds / 1e6,
             schedule.realtime.map { $0 ? "yes" : "refused" } ?? "not asked"))
// Drift: does the schedule slide over the run? Compare the median lateness of the first and
// the last 10 % of the ticks (absolute deadlines should keep this at zero; jitter is above).
let ordered = run.samples.filter { !$0.skipped }.sorted { $0.plannedNanoseconds < $1.plannedNanoseconds }
func medianLag(_ slice: ArraySlice<ProbeSample>) -> Double {
    let v = slice.map { Double($0.startNanoseconds) - Double($0.plannedNanoseconds) }.sorted()
    return v.isEmpty ? 0 : v[v.count / 2] / 1e6
}
let tenth = max(1, ordered.count / 10)
let lastTickOffset = ordered.last.map { Double($0.plannedNanoseconds) / 1e6 - Double($0.tick) * 1000 / rate } ?? 0
print(String(format: "schedule drift over the run: median lateness first 10%% %.3f ms, last 10%% %.3f ms (slide %.3f ms); last planned tick vs start + k·interval %.3f ms",
             medianLag(ordered.prefix(tenth)), medianLag(ordered.suffix(tenth)),
             medianLag(ordered.suffix(tenth)) - medianLag(ordered.prefix(tenth)), lastTickOffset))
print(String(format: "check start vs plan: p50 %.3f ms, p99 %.3f ms, max %.3f ms (|actual - planned|)",
             percentile(50), percentile(99), lags.last ?? 0))
print(String(format: "probe latency: p50 %.3f ms, p99 %.3f ms",
             stats.latency?.p50Milliseconds ?? 0, stats.latency?.p99Milliseconds ?? 0))
print(String(format: "cpu: %.3f s user+sys in %.1f s = %.2f %% of one core", cpu, wall, cpu / wall * 100))
var load = [Double](repeating: 0, count: 3)
_ = getloadavg(&load, 3)
print(String(format: "machine: load average %.2f, hypervisor steal %.2f s (all CPUs) during the run", load[0], steal))
