import ChaosCore
import Foundation

/// How much more memory the target's cgroup (and each ancestor up to its hierarchy's root)
/// lets a new process hold, and how much the host has available. A stress larger than
/// either would be OOM-killed, or worse, get the target's own processes killed: refused.
public struct MemoryHeadroom: Equatable, Sendable {
    public struct Limit: Equatable, Sendable {
        public var directory: String
        public var limit: UInt64
        /// Usage minus inactive file cache (reclaimable), as `docker stats` counts it
        /// (docker/cli `calculateMemUsageUnixNoCache`).
        public var inUse: UInt64
        public var free: UInt64 { limit > inUse ? limit - inUse : 0 }
    }

    /// The tightest limit on the way up, if any level has one.
    public var tightest: Limit?
    /// /proc/meminfo MemAvailable.
    public var hostAvailable: UInt64?

    public static func of(_ placement: CgroupPlacement) -> MemoryHeadroom {
        var limits: [Limit] = []
        if let dir = placement.directory(v1Controller: "memory") {
            limits += walk(dir, limit: "memory.limit_in_bytes", usage: "memory.usage_in_bytes", inactive: "total_inactive_file")
        }
        if let dir = placement.unified {
            limits += walk(dir, limit: "memory.max", usage: "memory.current", inactive: "inactive_file")
        }
        return MemoryHeadroom(tightest: limits.min { $0.free < $1.free }, hostAvailable: hostAvailable())
    }

    /// Refuse `bytes` if it does not fit; `field` and `text` name the option in the message.
    public func check(_ bytes: UInt64, field: String, text: String) throws {
        if let t = tightest, bytes > t.free {
            throw OptionValueError(option: field, value: text, reason:
                "is more than the target's cgroup allows: \(t.directory) is limited to \(ByteSize.format(t.limit)) with \(ByteSize.format(t.inUse)) in use, \(ByteSize.format(t.free)) free (more would be OOM-killed, or get the target's processes killed)")
        }
        if let available = hostAvailable, bytes > available {
            throw OptionValueError(option: field, value: text, reason:
                "is more than this host has available (\(ByteSize.format(available)) MemAvailable in /proc/meminfo)")
        }
    }

    /// Limits of `dir` and its ancestors below the mount point; "no limit" values are skipped.
    static func walk(_ dir: CgroupPlacement.Directory, limit: String, usage: String, inactive: String) -> [Limit] {
        var out: [Limit] = []
        var path = dir.path
        while true {
            if let max = number(path + "/" + limit), max < (UInt64(1) << 62), let used = number(path + "/" + usage) {
                let cache = statValue(path + "/memory.stat", key: inactive) ?? 0
                out.append(Limit(directory: path, limit: max, inUse: used > cache ? used - cache : 0))
            }
            if path == dir.mountPoint || !path.hasPrefix(dir.mountPoint) { break }
            path = (path as NSString).deletingLastPathComponent
        }
        return out
    }

    /// A file holding one number ("max" and unreadable files: nil).
    static func number(_ file: String) -> UInt64? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func statValue(_ file: String, key: String) -> UInt64? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key { return UInt64(parts[1]) }
        }
        return nil
    }

    static func hostAvailable() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let kib = UInt64(parts[1]) { return kib * 1024 }
        }
        return nil
    }
}
