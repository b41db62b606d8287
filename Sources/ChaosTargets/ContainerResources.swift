import ChaosCore
import Foundation

/// The CPU and memory limits of `HostConfig` in `GET /containers/{id}/json`. Zero means "not
/// set" (no limit, the kernel's default share); `MemorySwap` -1 means unlimited swap.
public struct ContainerResources: Codable, Equatable, Sendable {
    public var memory: Int64 = 0
    public var memorySwap: Int64 = 0
    public var cpuQuota: Int64 = 0
    public var cpuPeriod: Int64 = 0
    public var nanoCpus: Int64 = 0
    public var cpuShares: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case memory = "Memory", memorySwap = "MemorySwap", cpuQuota = "CpuQuota", cpuPeriod = "CpuPeriod"
        case nanoCpus = "NanoCpus", cpuShares = "CpuShares"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func value(_ key: CodingKeys) throws -> Int64 { try c.decodeIfPresent(Int64.self, forKey: key) ?? 0 }
        memory = try value(.memory)
        memorySwap = try value(.memorySwap)
        cpuQuota = try value(.cpuQuota)
        cpuPeriod = try value(.cpuPeriod)
        nanoCpus = try value(.nanoCpus)
        cpuShares = try value(.cpuShares)
    }
}

/// One field of `POST /containers/{id}/update`, with the value chaosctl sends. The API takes
/// 0 as "leave unchanged", so a limit that was not set is restored with the value that means
/// "none" to the kernel (see `ContainerLimitFault`).
public enum ResourceField: String, CaseIterable, Sendable {
    case memory = "Memory", memorySwap = "MemorySwap", cpuQuota = "CpuQuota", nanoCpus = "NanoCpus", cpuShares = "CpuShares"

    public func value(in r: ContainerResources) -> Int64 {
        switch self {
        case .memory: return r.memory
        case .memorySwap: return r.memorySwap
        case .cpuQuota: return r.cpuQuota
        case .nanoCpus: return r.nanoCpus
        case .cpuShares: return r.cpuShares
        }
    }

    /// What to send to put back a previous value of 0 ("not set"), which the API would ignore:
    /// the cgroup v1 "unlimited" memory (PAGE_COUNTER_MAX as the kernel reports it), unlimited
    /// swap and quota (-1), and the kernel's default share (1024).
    public func restoreValue(for previous: Int64) -> Int64 {
        guard previous == 0 else { return previous }
        switch self {
        case .memory: return Self.unlimitedMemory
        case .memorySwap, .cpuQuota: return -1
        case .nanoCpus: return 0
        case .cpuShares: return 1024
        }
    }

    /// True when `current` still means `previous` (a restored "not set" reads back as the
    /// value sent for it).
    public func same(_ current: Int64, as previous: Int64) -> Bool {
        current == previous || (previous == 0 && current == restoreValue(for: 0))
    }

    public static let unlimitedMemory: Int64 = 9_223_372_036_854_771_712
}

/// What `chaosctl container limit` asks for: any of a CPU limit, a CPU share, a memory limit.
public struct ContainerLimitChange: Equatable, Sendable, CustomStringConvertible {
    /// CPUs as `docker run --cpus` counts them (0.5 = half of one CPU).
    public var cpus: Double?
    public var cpuShares: Int64?
    public var memory: Int64?

    /// The engines' floors (moby daemon/daemon_unix.go: linuxMinMemory 6 MiB, a CFS quota of
    /// at least 1 ms per 100 ms period; the kernel's smallest cpu.shares is 2).
    public static let minimumMemory: Int64 = 6 * 1024 * 1024
    public static let minimumCpus = 0.01
    public static let minimumShares: Int64 = 2

    public init(cpus: Double? = nil, cpuShares: Int64? = nil, memory: Int64? = nil) {
        self.cpus = cpus
        self.cpuShares = cpuShares
        self.memory = memory
    }

    public var isEmpty: Bool { cpus == nil && cpuShares == nil && memory == nil }

    public var description: String {
        var parts: [String] = []
        if let cpus { parts.append("cpus \(cpus == cpus.rounded() ? String(Int(cpus)) : String(cpus))") }
        if let cpuShares { parts.append("cpu-shares \(cpuShares)") }
        if let memory { parts.append("memory \(Self.formatBytes(memory))") }
        return parts.joined(separator: ", ")
    }

    /// The fields to send, given the container's limits now. A CPU limit goes to `NanoCpus`
    /// when the container already has one there (the engine refuses mixing it with a quota),
    /// else to `CpuQuota` against its period (100 ms unless set). A memory limit comes with
    /// unlimited swap unless the swap limit already lies above it (the engine refuses a
    /// memory limit above the swap limit).
    public func fields(given current: ContainerResources) -> [ResourceField: Int64] {
        var out: [ResourceField: Int64] = [:]
        if let cpus {
            if current.nanoCpus > 0 {
                out[.nanoCpus] = Int64((cpus * 1e9).rounded())
            } else {
                let period = current.cpuPeriod > 0 ? current.cpuPeriod : 100_000
                out[.cpuQuota] = Int64((cpus * Double(period)).rounded())
            }
        }
        if let cpuShares { out[.cpuShares] = cpuShares }
        if let memory {
            out[.memory] = memory
            if !(current.memorySwap > memory) { out[.memorySwap] = -1 }
        }
        return out
    }

    /// "256MiB", "1GiB", "512MB", "1g" (docker's k/m/g are binary), or bytes.
    public static func parseBytes(_ text: String) throws -> Int64 {
        let t = text.trimmingCharacters(in: .whitespaces)
        let (ki, mi, gi) = (1024.0, 1_048_576.0, 1_073_741_824.0)
        let units: [(String, Double)] = [("kib", ki), ("mib", mi), ("gib", gi), ("kb", 1e3), ("mb", 1e6), ("gb", 1e9),
                                         ("k", ki), ("m", mi), ("g", gi), ("b", 1)]
        let lower = t.lowercased()
        let (digits, factor) = units.first { lower.hasSuffix($0.0) }.map { (String(lower.dropLast($0.0.count)), $0.1) } ?? (lower, 1)
        guard let n = Double(digits.trimmingCharacters(in: .whitespaces)), n.isFinite else {
            throw ChaosError("is not a size (use e.g. 256MiB, 1GiB, 512m)", exitCode: .usage)
        }
        guard n > 0 else { throw ChaosError("must be more than 0", exitCode: .usage) }
        let bytes = n * factor
        guard bytes < 9e18 else { throw ChaosError("is too large", exitCode: .usage) }
        return Int64(bytes.rounded())
    }

    public static func formatBytes(_ b: Int64) -> String {
        if b % (1 << 30) == 0 { return "\(b >> 30)GiB" }
        if b % (1 << 20) == 0 { return "\(b >> 20)MiB" }
        if b >= 1 << 20 { return String(format: "%.1fMiB", Double(b) / Double(1 << 20)) }
        return "\(b) bytes"
    }
}

/// The body of `POST /containers/{id}/update`: only the fields being changed.
struct ResourceUpdateBody: Encodable {
    var fields: [ResourceField: Int64]

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (field, value) in fields { try c.encode(value, forKey: Key(stringValue: field.rawValue)) }
    }
}

/// `GET /containers/{id}/stats?stream=false`, the part a memory limit is checked against.
struct ContainerStatsBody: Decodable {
    struct Memory: Decodable {
        var usage: Int64?
    }
    var memory_stats: Memory?
}
