import ChaosCore
import ChaosSystem
import Foundation

/// CPU or memory pressure inside a target's cgroups, as a journaled fault.
///
/// Applying starts the workers held at their starting line, journals their PIDs and start
/// times, moves each into every cgroup of the target, and only then releases them; so the
/// record exists before a cycle is burnt, and `recover` after a SIGKILL ends exactly those
/// processes. The workers also stop on their own a little after the hold's end (a safety
/// net for a chaosctl that died and was never recovered).
public struct StressFault: FaultJournaledApply, PreflightFault {
    public static let kind = "stress"
    /// Past the hold's end, when workers give up on being reverted and exit by themselves.
    public static let selfExpiryGrace = 2.0

    public let resource: StressResource
    public let placement: CgroupPlacement
    /// How long the fault is held (nil: until reverted); sets the workers' own deadline.
    public let holdSeconds: Double?
    public let workerExecutable: String

    public init(resource: StressResource, placement: CgroupPlacement, holdSeconds: Double?, workerExecutable: String) {
        self.resource = resource
        self.placement = placement
        self.holdSeconds = holdSeconds
        self.workerExecutable = workerExecutable
    }

    public var kind: String { Self.kind }
    public var target: String { placement.label }
    public var summary: String { resource.summary }


    /// The record before any worker exists (`FaultLifecycle` journals the one from `apply`).
    public func revertData() throws -> [String: String] {
        var data = ["resource": resource.name, "cgroups": placement.directories.map(\.path).joined(separator: "\n"), "workers": ""]
        if let pid = placement.targetPid { data["target_pid"] = String(pid) }
        return data
    }

    /// The target must still be the process whose cgroups were looked up; a memory stress
    /// must still fit (the container may have grown since the step was validated).
    public func preflight() throws {
        try placement.checkTargetStillRuns()
        if case .memory(let bytes) = resource {
            try MemoryHeadroom.of(placement).check(bytes, field: "size", text: ByteSize.format(bytes))
        }
    }

    public func apply() throws {
        try apply(recordID: "") { _ in }
    }

    public func apply(recordID: String, journal: ([String: String]) throws -> Void) throws {
        let deadline = holdSeconds.map { MonotonicClock.deadline(after: $0 + Self.selfExpiryGrace) } ?? 0
        var launches: [StressWorkerLaunch] = []
        do {
            for arguments in resource.workerArguments {
                launches.append(try StressWorkerLaunch(executable: workerExecutable, arguments: arguments + [String(deadline)]))
            }
        } catch {
            // Not released and not journaled: they have done nothing; end them here.
            StressReverter.end(launches.map(\.id))
            throw error
        }
        var data = try revertData()
        data["workers"] = launches.map(\.id.description).joined(separator: " ")
        do { try journal(data) } catch {
            StressReverter.end(launches.map(\.id))
            throw error
        }
        // From here a failure leaves a journaled record: the lifecycle's revert ends them.
        for launch in launches { try placement.place(launch.id.pid) }
        for launch in launches { try launch.release() }
        for launch in launches { try launch.awaitReady(timeout: 60) }
    }
}
