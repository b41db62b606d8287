/// What a stress consumes: CPU (workers, each busy LOAD% of one core) or memory (held and
/// touched by one worker).
public enum StressResource: Equatable, Sendable {
    case cpu(workers: Int, load: Int)
    case memory(bytes: UInt64)

    public var name: String {
        switch self {
        case .cpu: return "cpu"
        case .memory: return "memory"
        }
    }

    /// "2 cpu workers at 80% load", "256 MiB of memory held".
    public var summary: String {
        switch self {
        case .cpu(let workers, let load): return "\(workers) cpu worker\(workers == 1 ? "" : "s") at \(load)% load"
        case .memory(let bytes): return "\(ByteSize.format(bytes)) of memory held"
        }
    }

    /// Each worker's command line after the executable (the deadline is appended).
    var workerArguments: [[String]] {
        switch self {
        case .cpu(let workers, let load): return Array(repeating: ["cpu", String(load)], count: workers)
        case .memory(let bytes): return [["memory", String(bytes)]]
        }
    }
}
