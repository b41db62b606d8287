import Foundation

/// One line of /proc/PID/cgroup: `ID:CONTROLLERS:PATH`. Cgroup v1 hierarchies list their
/// controllers ("cpu,cpuacct", "memory", "name=systemd"); the v2 hierarchy is `0::PATH`.
/// Paths are relative to the reader's cgroup namespace root.
public struct CgroupMembership: Equatable, Sendable {
    public var hierarchyID: Int
    /// Empty for cgroup v2.
    public var controllers: [String]
    public var path: String

    public init(hierarchyID: Int, controllers: [String], path: String) {
        self.hierarchyID = hierarchyID
        self.controllers = controllers
        self.path = path
    }

    public var isV2: Bool { hierarchyID == 0 && controllers.isEmpty }

    /// A short name for messages and the journal: "memory", "cpu,cpuacct", "unified".
    public var name: String { isV2 ? "unified" : controllers.joined(separator: ",") }

    /// The cgroups of `pid`, or nil when there is no such process.
    public static func of(pid: Int32) -> [CgroupMembership]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8) else { return nil }
        return parse(text)
    }

    public static func parse(_ text: String) -> [CgroupMembership] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let id = Int(parts[0]) else { return nil }
            let controllers = parts[1].split(separator: ",").map(String.init)
            return CgroupMembership(hierarchyID: id, controllers: controllers, path: String(parts[2]))
        }
    }
}

/// A cgroup filesystem mounted in this mount namespace (from /proc/self/mountinfo).
public struct CgroupMount: Equatable, Sendable {
    public var mountPoint: String
    /// The cgroup the mount shows at its mount point ("/" unless a subtree was bind-mounted).
    public var root: String
    public var isV2: Bool
    /// v1 only: the controllers (and "name=…") in the super options.
    public var controllers: Set<String>

    public static func all() -> [CgroupMount] {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        return parse(text)
    }

    /// mountinfo: `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTIONS`.
    public static func parse(_ text: String) -> [CgroupMount] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard let dash = fields.firstIndex(of: "-"), dash >= 5, fields.count >= dash + 4 else { return nil }
            let type = fields[dash + 1]
            guard type == "cgroup" || type == "cgroup2" else { return nil }
            let known = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "net_cls", "blkio", "perf_event",
                         "net_prio", "hugetlb", "pids", "rdma", "misc"]
            let options = fields[dash + 3].split(separator: ",").map(String.init)
            let controllers = Set(options.filter { known.contains($0) || $0.hasPrefix("name=") })
            return CgroupMount(mountPoint: unescape(fields[4]), root: unescape(fields[3]), isV2: type == "cgroup2",
                               controllers: controllers)
        }
    }

    /// mountinfo writes space, tab, newline and backslash as octal escapes (\040).
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var out = [UInt8](), bytes = Array(field.utf8), i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count,
               let code = UInt8(String(decoding: bytes[(i + 1)...(i + 3)], as: UTF8.self), radix: 8) {
                out.append(code)
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// This mount's directory for `membership`, or nil when the mount is another hierarchy
    /// or does not show that cgroup (a bind-mounted subtree that does not contain it).
    public func directory(for membership: CgroupMembership) -> String? {
        if membership.isV2 != isV2 { return nil }
        if !isV2 && Set(membership.controllers) != controllers { return nil }
        let path = membership.path
        if root == "/" { return path == "/" ? mountPoint : mountPoint + path }
        if path == root { return mountPoint }
        guard path.hasPrefix(root + "/") else { return nil }
        return mountPoint + path.dropFirst(root.count)
    }
}
