import Foundation

/// What /proc says about one worker: its state, CPU time and resident memory.
public struct WorkerProcessInfo: Equatable, Sendable {
    /// /proc/PID/stat field 3 ("R", "S", "Z", …).
    public var state: Character
    /// Fields 14 + 15 (utime + stime), in clock ticks.
    public var cpuTicks: UInt64
    /// Field 22: the process's start time, in clock ticks since boot.
    public var startTicks: UInt64
    /// VmRSS from /proc/PID/status, in bytes (nil for a zombie).
    public var residentBytes: UInt64?

    public var isZombie: Bool { state == "Z" || state == "X" }

    /// nil when no process `pid` exists.
    public static func read(_ pid: Int32) -> WorkerProcessInfo? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces and parentheses): [0] is field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let user = UInt64(fields[11]), let system = UInt64(fields[12]),
              let start = UInt64(fields[19]) else { return nil }
        return WorkerProcessInfo(state: state, cpuTicks: user + system, startTicks: start, residentBytes: residentBytes(pid))
    }

    static func residentBytes(_ pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if parts.count >= 2, let kib = UInt64(parts[1]) { return kib * 1024 }
        }
        return nil
    }

    /// Clock ticks per second (sysconf(_SC_CLK_TCK)).
    public static var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }
}

/// A worker as the journal names it: PID plus start time, so a revert never signals a
/// process that merely reuses the PID.
public struct StressWorkerID: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var pid: Int32
    public var startTicks: UInt64

    public init(pid: Int32, startTicks: UInt64) {
        self.pid = pid
        self.startTicks = startTicks
    }

    /// "PID:TICKS".
    public var description: String { "\(pid):\(startTicks)" }

    /// The journal's list: "PID:TICKS PID:TICKS …"; nil if any entry is malformed.
    public static func list(_ text: String) -> [StressWorkerID]? {
        var out: [StressWorkerID] = []
        for item in text.split(separator: " ") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, let ticks = UInt64(parts[1]) else { return nil }
            out.append(StressWorkerID(pid: pid, startTicks: ticks))
        }
        return out
    }

    /// The worker as it runs now; nil once it is gone or its PID names another process.
    public var running: WorkerProcessInfo? {
        guard let info = WorkerProcessInfo.read(pid), info.startTicks == startTicks, !info.isZombie else { return nil }
        return info
    }
}
