import ChaosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Signal names as the engine API accepts them. Checked before anything is sent, so a typo
/// fails the same way on Docker (400) and Podman (500), before any container is touched.
public enum DockerSignal {
    private static let names: [String: Int32] = [
        "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "ILL": SIGILL, "TRAP": SIGTRAP, "ABRT": SIGABRT,
        "BUS": SIGBUS, "FPE": SIGFPE, "KILL": SIGKILL, "USR1": SIGUSR1, "SEGV": SIGSEGV, "USR2": SIGUSR2,
        "PIPE": SIGPIPE, "ALRM": SIGALRM, "TERM": SIGTERM, "STKFLT": SIGSTKFLT, "CHLD": SIGCHLD,
        "CONT": SIGCONT, "STOP": SIGSTOP, "TSTP": SIGTSTP, "TTIN": SIGTTIN, "TTOU": SIGTTOU, "URG": SIGURG,
        "XCPU": SIGXCPU, "XFSZ": SIGXFSZ, "VTALRM": SIGVTALRM, "PROF": SIGPROF, "WINCH": SIGWINCH,
        "IO": SIGIO, "PWR": SIGPWR, "SYS": SIGSYS,
    ]

    /// Normalise "term", "SIGTERM" or "15" to "SIGTERM" (numbers stay numbers).
    public static func normalize(_ text: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if let n = Int32(t), n > 0, n <= 64 { return t }
        let bare = t.hasPrefix("SIG") ? String(t.dropFirst(3)) : t
        if names[bare] != nil { return "SIG" + bare }
        if bare.hasPrefix("RTMIN") || bare.hasPrefix("RTMAX") { return "SIG" + bare }
        throw ChaosError("unknown signal '\(text)' (use a name like SIGTERM or KILL, or a number)", exitCode: .usage)
    }

    /// The signal number for a normalised name, if it is a fixed one.
    public static func number(_ name: String) -> Int32? {
        if let n = Int32(name) { return n }
        return names[name.hasPrefix("SIG") ? String(name.dropFirst(3)) : name]
    }
}
