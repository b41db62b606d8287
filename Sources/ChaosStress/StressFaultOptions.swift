import ChaosCore
import Foundation

/// Every option of a stress, typed: what `chaosctl stress cpu|memory` and a `stress:` step
/// both build from their option values (names as the CLI spells them).
public struct StressFaultOptions: Equatable, Sendable {
    public var resource: StressResource
    /// As the user wrote it, for messages ("256MiB").
    public var sizeText: String?
    /// A Docker/Podman container name or ID; the caller looks up its main process (ChaosStress
    /// knows no container engine).
    public var container: String?
    /// The engine API for `container` (nil: $DOCKER_HOST, else the default socket).
    public var dockerHost: String?
    public var pid: Int32?
    public var dryRun = false

    public static let resources = ["cpu", "memory"]
    public static let targetOptionNames = ["container", "docker-host", "pid", "dry-run"]
    public static let resourceOptionNames = ["cpu": ["workers", "load"], "memory": ["size"]]

    public static func optionNames(resource: String) -> [String] {
        targetOptionNames + (resourceOptionNames[resource] ?? [])
    }

    /// At most this many CPU workers: more than a few per core only adds scheduling overhead.
    public static var maxWorkers: Int { 8 * max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    public init(resource: StressResource) { self.resource = resource }

    /// Parse and check every option for `resource` (cpu or memory); the first bad one is
    /// thrown, named.
    public init(resource name: String, _ v: OptionValues) throws {
        switch name {
        case "cpu":
            let maxWorkers = Self.maxWorkers
            let workers = try v.parse("workers") { text -> Int in
                guard let n = Int(text), (1...maxWorkers).contains(n) else {
                    throw ChaosError("must be a whole number from 1 to \(maxWorkers) (8 per online CPU)", exitCode: .usage)
                }
                return n
            } ?? 1
            let load = try v.parse("load") { text -> Int in
                let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
                guard let n = Int(digits), (1...100).contains(n) else {
                    throw ChaosError("must be a whole percentage from 1 to 100 (of one core, per worker)", exitCode: .usage)
                }
                return n
            } ?? 100
            resource = .cpu(workers: workers, load: load)
        case "memory":
            guard let bytes = try v.parse("size", ByteSize.bytes) else {
                throw OptionValueError(option: "size", value: nil, reason: "is required: how much memory to hold, e.g. 256MiB")
            }
            guard bytes >= 4096 else {
                throw OptionValueError(option: "size", value: v.text("size"), reason: "must be at least one page (4KiB)")
            }
            resource = .memory(bytes: bytes)
            sizeText = v.text("size")
        default:
            throw ChaosError("unknown stress resource '\(name)' (\(Self.resources.joined(separator: ", ")))", exitCode: .usage)
        }
        container = v.text("container")
        dockerHost = v.text("docker-host")
        pid = try v.parse("pid") { text -> Int32 in
            guard let n = Int32(text), n > 0 else { throw ChaosError("is not a process ID", exitCode: .usage) }
            return n
        }
        dryRun = try v.flag("dry-run")
        if container != nil && pid != nil {
            throw ChaosError("--container and --pid name the target twice: give one (or neither, for this process tree)", exitCode: .usage)
        }
        if dockerHost != nil && container == nil {
            throw OptionValueError(option: "docker-host", value: dockerHost, reason: "goes with --container")
        }
    }

    /// The cgroups to join. `containerProcess`: the main process of `container`, its full ID
    /// and a label for it, looked up by the caller through the engine API.
    public func placement(containerProcess: (pid: Int32, id: String, label: String)? = nil) throws -> CgroupPlacement {
        if let c = containerProcess {
            let placement = try CgroupPlacement.of(pid: c.pid, label: c.label, field: "--container")
            // The engine's PID must still be that container's (not a PID reused since it exited):
            // its cgroup paths carry the container ID (cgroupfs: /…/ID, systemd: docker-ID.scope).
            guard placement.directories.contains(where: { $0.path.contains(c.id) }) else {
                throw ChaosError("\(c.label): pid \(c.pid) is not in a cgroup named after the container (\(placement.cgroupList)); did it just exit?",
                                 exitCode: .conflict)
            }
            return placement
        }
        if let pid { return try CgroupPlacement.of(pid: pid, label: "pid \(pid)") }
        return CgroupPlacement.currentProcessTree()
    }

    /// The fault, checked against the target: a memory stress must fit its cgroup's limit
    /// and the host's available memory.
    public func fault(placement: CgroupPlacement, holdSeconds: Double?, workerExecutable: String? = nil) throws -> StressFault {
        if case .memory(let bytes) = resource {
            try MemoryHeadroom.of(placement).check(bytes, field: "size", text: sizeText ?? ByteSize.format(bytes))
        }
        return StressFault(resource: resource, placement: placement, holdSeconds: holdSeconds,
                           workerExecutable: try workerExecutable ?? StressWorkerExecutable.locate())
    }
}

extension StressFault {
    /// What a dry run prints: the workers, where they would go, and that nothing started.
    public var plan: String {
        let place = placement.targetPid == nil ? "left in this process tree's cgroups" : "moved into \(placement.label)'s cgroups"
        return "would start \(resource.summary), \(place): \(placement.cgroupList.isEmpty ? "none visible" : placement.cgroupList)"
            + (holdSeconds.map { " for \(DurationParser.format($0))" } ?? "")
    }
}
