import Foundation

/// The body of Podman's `POST /libpod/containers/{name}/update`: an OCI runtime-spec
/// `LinuxResources` (lower-case `cpu.quota`, `cpu.period`, `cpu.shares`, `memory.limit`,
/// `memory.swap`), not Docker's `HostConfig` fields. Podman 4.3's handler decodes the body into
/// `specs.LinuxResources` and passes it to the OCI runtime's update (`runc update`), answering
/// 201 with the container ID; an empty body changes nothing (checked against Podman 4.3.1 from
/// scripts/podman-engine.sh, with the container's cgroup files read back).
struct LibpodResourceUpdate: Encodable {
    struct CPU: Encodable {
        var shares: Int64?
        var quota: Int64?
        var period: Int64?
    }
    struct Memory: Encodable {
        var limit: Int64?
        var swap: Int64?
    }
    var cpu: CPU?
    var memory: Memory?

    /// Docker's fields in the runtime spec's terms. `NanoCpus` has no OCI field: it becomes a
    /// quota over the 100 ms period Docker itself uses for it.
    init(_ fields: [ResourceField: Int64]) {
        var cpu = CPU()
        var memory = Memory()
        for (field, value) in fields {
            switch field {
            case .cpuQuota: cpu.quota = value
            case .cpuShares: cpu.shares = value
            case .nanoCpus:
                cpu.period = Self.nanoCpusPeriod
                cpu.quota = value == 0 ? -1 : value * Self.nanoCpusPeriod / 1_000_000_000
            case .memory: memory.limit = value
            case .memorySwap: memory.swap = value
            }
        }
        self.cpu = cpu.shares == nil && cpu.quota == nil && cpu.period == nil ? nil : cpu
        self.memory = memory.limit == nil && memory.swap == nil ? nil : memory
    }

    static let nanoCpusPeriod: Int64 = 100_000
}
