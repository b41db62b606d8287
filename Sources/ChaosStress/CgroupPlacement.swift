import ChaosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The cgroups a stress joins: every hierarchy the target process is in and this mount
/// namespace can see (cgroup v1 controllers, the v2 unified tree, or both on a hybrid host),
/// so its workers are charged, limited and counted exactly as the target is.
public struct CgroupPlacement: Equatable, Sendable {
    public struct Directory: Equatable, Sendable {
        public var membership: CgroupMembership
        /// The cgroup's directory, e.g. /sys/fs/cgroup/memory/docker/3f2a…
        public var path: String
        /// Where its hierarchy is mounted (the walk up for limits stops here).
        public var mountPoint: String

        public init(membership: CgroupMembership, path: String, mountPoint: String) {
            self.membership = membership
            self.path = path
            self.mountPoint = mountPoint
        }
    }

    /// Whose cgroups: "container web (3f2a9c1b7d60)", "pid 4242", "this process tree".
    public var label: String
    /// The process whose cgroups these are; nil for the current process tree (the workers
    /// inherit chaosctl's own cgroups and are not moved).
    public var targetPid: Int32?
    /// Its start time (/proc/PID/stat field 22), so a reused PID is not mistaken for it.
    public var targetStartTicks: UInt64?
    public var directories: [Directory]

    public init(label: String, targetPid: Int32?, targetStartTicks: UInt64?, directories: [Directory]) {
        self.label = label
        self.targetPid = targetPid
        self.targetStartTicks = targetStartTicks
        self.directories = directories
    }

    /// The cgroups of `pid`. `label` names it in messages; `field` is the option that named it.
    public static func of(pid: Int32, label: String, field: String = "--pid") throws -> CgroupPlacement {
        guard pid > 0, let ticks = ProcessIdentity.startTicks(of: pid), let memberships = CgroupMembership.of(pid: pid) else {
            throw OptionValueError(option: String(field.drop(while: { $0 == "-" })), value: String(pid),
                                   reason: "no such process", exitCode: .notFound)
        }
        let placement = CgroupPlacement(label: label, targetPid: pid, targetStartTicks: ticks,
                                        directories: directories(memberships))
        guard !placement.directories.isEmpty else {
            throw ChaosError("\(label): none of its cgroups is visible here (no cgroup filesystem mounted that shows them)",
                             exitCode: .unsupported)
        }
        return placement
    }

    /// This process's own cgroups: where workers started with no target stay.
    public static func currentProcessTree() -> CgroupPlacement {
        CgroupPlacement(label: "this process tree", targetPid: nil, targetStartTicks: nil,
                        directories: directories(CgroupMembership.of(pid: getpid()) ?? []))
    }

    static func directories(_ memberships: [CgroupMembership]) -> [Directory] {
        let mounts = CgroupMount.all()
        return memberships.compactMap { membership in
            for mount in mounts {
                if let path = mount.directory(for: membership) {
                    return Directory(membership: membership, path: path, mountPoint: mount.mountPoint)
                }
            }
            return nil
        }
    }

    /// The directories, comma-separated, for plans and messages.
    public var cgroupList: String { directories.map(\.path).joined(separator: ", ") }

    /// The directory of the hierarchy holding `controller` ("memory", "cpu"); nil if none.
    public func directory(v1Controller controller: String) -> Directory? {
        directories.first { $0.membership.controllers.contains(controller) }
    }

    public var unified: Directory? { directories.first { $0.membership.isV2 } }

    /// Refuse when the target is gone or its PID now names another process.
    public func checkTargetStillRuns() throws {
        guard let pid = targetPid else { return }
        guard ProcessIdentity.startTicks(of: pid) == targetStartTicks else {
            throw ChaosError("\(label) has exited (pid \(pid) is gone or reused) since its cgroups were looked up", exitCode: .conflict)
        }
    }

    /// Move `pid` into every cgroup of the target (cgroup.procs, or `tasks` on a v1
    /// hierarchy without it) and check /proc/PID/cgroup says so. Nothing to do without a target.
    public func place(_ pid: Int32) throws {
        guard targetPid != nil else { return }
        for dir in directories {
            let procs = dir.path + "/cgroup.procs"
            let file = FileManager.default.fileExists(atPath: procs) ? procs : dir.path + "/tasks"
            try Self.write("\(pid)\n", to: file)
        }
        let now = CgroupMembership.of(pid: pid) ?? []
        for dir in directories where !now.contains(dir.membership) {
            let actual = now.first { $0.hierarchyID == dir.membership.hierarchyID }?.path ?? "none"
            throw ChaosError("worker \(pid) is in \(dir.membership.name) cgroup \(actual), not \(dir.membership.path), after writing \(dir.path)",
                             exitCode: .failure)
        }
    }

    private static func write(_ text: String, to file: String) throws {
        let fd = open(file, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(errno, writing: file) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else { throw failure(errno, writing: file) }
    }

    private static func failure(_ code: Int32, writing file: String) -> ChaosError {
        let reason = String(cString: strerror(code))
        switch code {
        case EACCES, EPERM: return ChaosError("cannot write \(file): \(reason) (moving a process into a cgroup needs root)", exitCode: .permission)
        case ENOENT, ENODEV: return ChaosError("cannot write \(file): \(reason) (the target's cgroup is gone: did it exit?)", exitCode: .conflict)
        default: return ChaosError("cannot write \(file): \(reason)", exitCode: .conflict)
        }
    }
}
