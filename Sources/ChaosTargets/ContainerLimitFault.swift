import ChaosCore
import Foundation

/// CPU and memory limits on one container through the engine's update call (Docker's
/// `POST /containers/{id}/update`, Podman's libpod one), as a journaled fault. The limits in
/// force are read (`HostConfig`; Podman: the cgroup files) and journaled with the
/// values chaosctl sets; a revert puts back each previous value only while the container
/// still has the one chaosctl set (someone else's later change is theirs, left alone).
///
/// Refused before anything is journaled: a memory limit below what the container uses now
/// (`memory_stats.usage` of a one-shot stats read), and an engine without an update
/// endpoint, found by an empty update, which changes nothing.
public struct ContainerLimitFault: PreflightFault {
    public static let kind = "container-limit"

    public let engine: ContainerEngine
    public let container: ContainerSummary
    public let change: ContainerLimitChange
    public let duration: Double?
    /// The first check's answer, so preflight, journal and apply read the engine once.
    private let checked = CheckedLimits()

    public init(engine: ContainerEngine, container: ContainerSummary, change: ContainerLimitChange, duration: Double?) {
        self.engine = engine
        self.container = container
        self.change = change
        self.duration = duration
    }

    public var kind: String { Self.kind }
    public var target: String { "container \(container.name) (\(container.shortID)) on \(engine.host)" }
    public var summary: String {
        "limited to \(change) " + (duration.map { "for \(DurationParser.format($0))" } ?? "until interrupted")
    }

    private var label: String { "\(container.name) (\(container.shortID))" }

    /// Read-only checks (also what a dry run does): the container exists and a memory limit
    /// is not below its usage. Returns the fields that would be sent and the limits now.
    public func check() throws -> (fields: [ResourceField: Int64], current: ContainerResources) {
        if let done = checked.value { return done }
        let current = try engine.limits(container.id).resources
        if let memory = change.memory {
            let usage = try engine.memoryUsage(container.id)
            if memory < usage {
                throw ChaosError("--memory: '\(ContainerLimitChange.formatBytes(memory))' is below what container \(label) uses now (\(ContainerLimitChange.formatBytes(usage)), memory_stats.usage); the kernel would reclaim or OOM-kill at once. Give at least that much",
                                 exitCode: .usage)
            }
        }
        checked.value = (change.fields(given: current), current)
        return checked.value!
    }

    public func preflight() throws {
        _ = try check()
        try engine.update(container.id, [:])
    }

    /// What a dry run shows: each field, its value now and the one it would get.
    public func plan() throws -> String {
        let (fields, current) = try check()
        return "set " + fields.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value) (now \($0.key.value(in: current)))" }.joined(separator: ", ")
    }

    public func revertData() throws -> [String: String] {
        let (fields, current) = try check()
        var data = ["host": engine.host.description, "id": container.id, "name": container.name]
        for (field, value) in fields {
            data["set." + field.rawValue] = String(value)
            data["previous." + field.rawValue] = String(field.value(in: current))
        }
        return data
    }

    public func apply() throws {
        try engine.update(container.id, try check().fields)
    }
}

/// Holds `ContainerLimitFault.check()`'s result (the fault is a value; the check runs once).
// @unchecked Sendable: set once, by the one thread applying the fault.
final class CheckedLimits: @unchecked Sendable {
    var value: (fields: [ResourceField: Int64], current: ContainerResources)?
}

/// Restores a container's limits from its journaled record, field by field, only where the
/// container still has what chaosctl set. A container that is gone needs nothing.
public struct ContainerLimitReverter: ContainerRecordReverter {
    public let kind = ContainerLimitFault.kind
    public let connect: @Sendable (DockerHost) -> ContainerEngine

    public init(connect: @escaping @Sendable (DockerHost) -> ContainerEngine = journaledEngine) {
        self.connect = connect
    }

    public func revert(_ record: FaultRecord, engine: ContainerEngine) throws -> FaultRevertResult {
        let data = record.revertData
        guard let id = data["id"], !id.isEmpty else { throw ChaosError("\(kind) record \(record.id) has no container id") }
        let name = data["name"] ?? id
        let current: ContainerResources
        do { current = try engine.limits(id).resources } catch let e as ContainerEngineError where e.reason == .notFound {
            return FaultRevertResult()
        }
        var restore: [ResourceField: Int64] = [:]
        var leftAlone: [String] = []
        for field in ResourceField.allCases {
            guard let set = data["set." + field.rawValue].flatMap(Int64.init),
                  let previous = data["previous." + field.rawValue].flatMap(Int64.init) else { continue }
            let now = field.value(in: current)
            if now == set {
                restore[field] = field.restoreValue(for: previous)
            } else if !field.same(now, as: previous) {
                leftAlone.append("container \(name): \(field.rawValue) is \(now), not the \(set) chaosctl set (changed since); left as it is")
            }
        }
        if !restore.isEmpty { try engine.update(id, restore) }
        return FaultRevertResult(leftAlone: leftAlone)
    }
}
