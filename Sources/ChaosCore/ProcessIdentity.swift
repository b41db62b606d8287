import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Identifies a process robustly enough to survive PID reuse: PID plus its start time.
public enum ProcessIdentity {
    /// The start time (field 22 of /proc/PID/stat) of `pid`, or nil if no such process.
    public static func startTicks(of pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); field 22 is therefore fields[19].
        guard fields.count > 19, let ticks = UInt64(fields[19]) else { return nil }
        return ticks
    }

    public static var current: FaultRecord.Owner {
        let pid = getpid()
        return FaultRecord.Owner(pid: pid, startTicks: startTicks(of: pid) ?? 0)
    }

    /// True while the process recorded in `owner` still runs (same PID and same start time).
    public static func isAlive(_ owner: FaultRecord.Owner) -> Bool {
        guard let ticks = startTicks(of: owner.pid) else { return false }
        if owner.startTicks == 0 { return true }
        return ticks == owner.startTicks
    }
}
