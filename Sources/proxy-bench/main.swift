import ChaosProxy
import Foundation

// proxy-bench: measures the ChaosProxy data plane on loopback. Run a release build:
//   swift run -c release proxy-bench [latency|throughput|all] [--samples N] [--latency-ms N] [--mb N] [--spin-us auto|N]
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, default value: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return value }
    return v
}
let mode = arguments.first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "all"
let spinArgument = arguments.firstIndex(of: "--spin-us").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
let engine = EpollProxyEngine(timerSpin: spinArgument.flatMap(TimerSpin.init(argument:)) ?? .automatic)
defer { engine.shutdown() }
do {
    if mode == "latency" || mode == "all" {
        try runLatencyBench(engine: engine, latencyMs: Int64(option("--latency-ms", default: 100)),
                            samples: option("--samples", default: 100))
    }
    if mode == "throughput" || mode == "all" {
        try runThroughputBench(engine: engine, megabytes: option("--mb", default: 1024))
    }
} catch {
    FileHandle.standardError.write("proxy-bench: \(error)\n".data(using: .utf8)!)
    exit(1)
}
