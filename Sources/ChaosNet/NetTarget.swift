import CChaosLinux
import ChaosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which network namespace a qdisc lives in.
public enum NetTarget: Equatable, Sendable {
    /// The namespace chaosctl runs in.
    case current
    /// A namespace made with `ip netns add NAME` (bind-mounted at /var/run/netns/NAME).
    case named(String)
    /// The namespace process PID is in (/proc/PID/ns/net).
    case process(Int32)

    /// A container's namespace, from the PID of its main process as the engine reports it
    /// (Docker's State.Pid, a CRI sandbox's pid). Engine lookups live in ChaosTargets.
    public static func container(mainPid: Int32) -> NetTarget { .process(mainPid) }

    /// The namespace file to enter, or nil to stay.
    public var path: String? {
        switch self {
        case .current: return nil
        case .named(let name): return "/var/run/netns/\(name)"
        case .process(let pid): return "/proc/\(pid)/ns/net"
        }
    }

    public var label: String {
        switch self {
        case .current: return "the current netns"
        case .named(let name): return "netns \(name)"
        case .process(let pid): return "the netns of pid \(pid)"
        }
    }

    /// Journal form: "", "name:NAME", "pid:PID".
    public var encoded: String {
        switch self {
        case .current: return ""
        case .named(let name): return "name:\(name)"
        case .process(let pid): return "pid:\(pid)"
        }
    }

    public init?(encoded: String) {
        if encoded.isEmpty { self = .current; return }
        if encoded.hasPrefix("name:") { self = .named(String(encoded.dropFirst(5))); return }
        if encoded.hasPrefix("pid:"), let pid = Int32(encoded.dropFirst(4)) { self = .process(pid); return }
        return nil
    }

    /// The CLI's --netns / --pid pair.
    public static func from(netns: String?, pid: Int32?) throws -> NetTarget {
        switch (netns, pid) {
        case (.some, .some): throw ChaosError("give --netns or --pid, not both", exitCode: .usage)
        case (.some(let name), nil):
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                throw ChaosError("--netns: '\(name)' is not a namespace name (as listed by `ip netns list`)", exitCode: .usage)
            }
            return .named(name)
        case (nil, .some(let p)):
            guard p > 0 else { throw ChaosError("--pid: \(p) is not a process id", exitCode: .usage) }
            return .process(p)
        case (nil, nil): return .current
        }
    }

    /// Identity of the namespace (device + inode of its nsfs file), so a revert can tell the
    /// namespace it journaled from a new one that reuses the name or the PID. nil for .current.
    public func identity() throws -> String? {
        guard let path else { return nil }
        var st = stat()
        guard stat(path, &st) == 0 else { throw notFound(errno: errno) }
        return "\(st.st_dev):\(st.st_ino)"
    }

    func notFound(errno code: Int32) -> ChaosError {
        if code == EACCES || code == EPERM {
            return ChaosError("cannot open \(path ?? "") for \(label): permission denied (run as root)", exitCode: .permission)
        }
        switch self {
        case .named(let name):
            return ChaosError("network namespace '\(name)' not found (no /var/run/netns/\(name); see `ip netns list`)", exitCode: .notFound)
        case .process(let pid):
            return ChaosError("no process with pid \(pid) (cannot open /proc/\(pid)/ns/net)", exitCode: .notFound)
        case .current:
            return ChaosError("cannot open the current network namespace", exitCode: .failure)
        }
    }

    /// Run `body` with the calling thread inside this namespace, then move the thread back.
    /// Only this thread moves (setns is per thread); netlink sockets opened inside stay
    /// bound to the namespace after we leave, which is how the rest of the work is done.
    public func within<T>(_ body: () throws -> T) throws -> T {
        guard let path else { return try body() }
        let target = open(path, O_RDONLY | O_CLOEXEC)
        guard target >= 0 else { throw notFound(errno: errno) }
        defer { close(target) }
        let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard home >= 0 else { throw ChaosError.errno("cannot open this thread's network namespace") }
        defer { close(home) }
        guard cchaos_setns(target, CCHAOS_CLONE_NEWNET) == 0 else {
            let code = errno
            if code == EPERM {
                throw ChaosError("cannot enter \(label): permission denied (entering a namespace needs CAP_SYS_ADMIN; run as root)", exitCode: .permission)
            }
            if code == EINVAL {
                throw ChaosError("\(path) is not a network namespace", exitCode: .usage)
            }
            throw ChaosError("cannot enter \(label): \(String(cString: strerror(code)))")
        }
        defer {
            // A thread stranded in another namespace would send later traffic there: stop.
            if cchaos_setns(home, CCHAOS_CLONE_NEWNET) != 0 {
                fatalError("cannot return to the original network namespace: \(String(cString: strerror(errno)))")
            }
        }
        return try body()
    }
}
