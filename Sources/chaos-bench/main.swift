// chaos-bench: benchmarks kept out of unit tests. Usage: chaos-bench control [--calls N] [--writes N] [--dir PATH]
import Foundation

struct BenchUsage: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "control":
        try ControlBenchmark.run(arguments: Array(arguments.dropFirst()))
    default:
        throw BenchUsage(message: "usage: chaos-bench control [--calls N] [--writes N] [--dir PATH]")
    }
} catch {
    FileHandle.standardError.write(Data("chaos-bench: \(error)\n".utf8))
    exit(2)
}
