import ChaosSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child (started by `ChildProcess`: own process group, signals reset) with captured
/// stdout/stderr and a hard timeout. Foundation's Process cannot put the child in a new group,
/// and a timeout must kill the whole group (a shell's children keep pipes open and outlive
/// the shell otherwise).
public enum ProcessRunner {
    public enum ExitStatus: Equatable, CustomStringConvertible, Sendable {
        case exited(Int32)
        case signaled(Int32)
        public var description: String {
            switch self {
            case .exited(let code): return "exited with \(code)"
            case .signaled(let signal): return "killed by signal \(signal)"
            }
        }
    }

    public struct Outcome: Sendable {
        public var pid: pid_t
        /// Nil when the timeout fired and the group was killed.
        public var exitStatus: ExitStatus?
        public var stdout: String
        public var stderr: String
    }

    /// Output kept per stream; the rest is read and dropped so the child never blocks on a full pipe.
    public static let captureLimit = 1 << 20

    /// Held from pipe creation to spawn: pipes are created without O_CLOEXEC and marked right
    /// after, so two probes spawning at once must not leak each other's pipe ends.
    private static let spawnLock = NSLock()

    /// Run `argv` with `environment` (nil: this process's), killing its whole group at `timeout`.
    public static func run(argv: [String], timeout: Double, environment: [String: String]? = nil) throws -> Outcome {
        let deadline = MonotonicClock.deadline(after: timeout)
        var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
        spawnLock.lock()
        let pid: pid_t
        do {
            defer { spawnLock.unlock() }
            guard pipe(&out) == 0 else { throw ProcessRunError("pipe: \(String(cString: strerror(errno)))") }
            guard pipe(&err) == 0 else {
                close(out[0]); close(out[1])
                throw ProcessRunError("pipe: \(String(cString: strerror(errno)))")
            }
            for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            do {
                pid = try ChildProcess.spawn(argv: argv, environment: environment, stdout: out[1], stderr: err[1])
            } catch {
                for fd in out + err { close(fd) }
                throw error
            }
            close(out[1]); close(err[1])
        }
        for fd in [out[0], err[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        defer { close(out[0]); close(err[0]) }

        var stdoutData = Data(), stderrData = Data()
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                drain(out[0], into: &stdoutData)
                drain(err[0], into: &stderrData)
                return Outcome(pid: pid, exitStatus: ChildProcess.decode(status),
                               stdout: String(decoding: stdoutData, as: UTF8.self),
                               stderr: String(decoding: stderrData, as: UTF8.self))
            }
            let now = MonotonicClock.now()
            if now >= deadline {
                // Negative pid: the whole group the child leads.
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                return Outcome(pid: pid, exitStatus: nil,
                               stdout: String(decoding: stdoutData, as: UTF8.self),
                               stderr: String(decoding: stderrData, as: UTF8.self))
            }
            // Poll the pipes, waking at least every 10 ms to notice the exit: a grandchild
            // may hold the pipes open after the child itself has exited.
            var fds = [pollfd(fd: out[0], events: Int16(POLLIN), revents: 0),
                       pollfd(fd: err[0], events: Int16(POLLIN), revents: 0)]
            let waitMs = Int32(min(10, (deadline - now) / 1_000_000 + 1))
            _ = poll(&fds, 2, waitMs)
            drain(out[0], into: &stdoutData)
            drain(err[0], into: &stderrData)
        }
    }

    private static func drain(_ fd: Int32, into data: inout Data) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n > 0 {
                let room = captureLimit - data.count
                if room > 0 { data.append(contentsOf: buffer[0..<min(n, room)]) }
                continue
            }
            if n < 0 && errno == EINTR { continue }
            return
        }
    }
}

/// The child could not even be started (no such command, out of descriptors).
public struct ProcessRunError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
