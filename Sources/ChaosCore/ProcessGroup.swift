import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A process group started by `ChildProcess` (its id is the leader's pid): stop it whole and
/// know, rather than assume, when every process in it is gone.
public struct ProcessGroup: Sendable {
    public let id: pid_t

    public init(leader: pid_t) { id = leader }

    /// Send `signal` to every process in the group; false when none is left to receive it.
    @discardableResult
    public func signal(_ signal: Int32) -> Bool { kill(-id, signal) == 0 }

    /// The group's processes that still run, from /proc. Zombies are left out: they hold
    /// nothing and only wait for a parent (an orphan's may be slow to reap), so counting them
    /// would make a stopped group look alive.
    public func liveMembers() -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let (state, group) = Self.stateAndGroup(of: pid) else { return false }
            return group == id && state != "Z" && state != "X"
        }
    }

    /// `state` and `pgrp` from /proc/PID/stat (fields 3 and 5; the name in field 2 may hold
    /// spaces or parentheses, so parse from the last ')').
    static func stateAndGroup(of pid: pid_t) -> (Character, pid_t)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 4, let state = fields[0].first, let group = Int32(fields[2]) else { return nil }
        return (state, group)
    }
}
