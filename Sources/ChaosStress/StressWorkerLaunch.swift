import CChaosLinux
import ChaosCore
import ChaosSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One worker started and held at its starting line: it runs `chaosctl-stress-worker`, in
/// its own process group (ChildProcess), and waits on its stdin for the byte that releases
/// it. Until then it has burnt nothing and touched nothing; if chaosctl dies first the pipe
/// closes and the worker exits.
final class StressWorkerLaunch {
    let id: StressWorkerID
    private var releaseFD: Int32
    private let outputFD: Int32

    init(executable: String, arguments: [String]) throws {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        // O_CLOEXEC from creation: another thread spawning meanwhile must not inherit them.
        guard cchaos_pipe_nonblock(&input) == 0 else { throw ChaosError("pipe: \(String(cString: strerror(errno)))") }
        guard cchaos_pipe_nonblock(&output) == 0 else {
            close(input[0]); close(input[1])
            throw ChaosError("pipe: \(String(cString: strerror(errno)))")
        }
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(argv: [executable] + arguments, stdin: input[0], stdout: output[1], stderr: output[1])
        } catch {
            for fd in input + output { close(fd) }
            throw ChaosError("cannot start \(executable): \(error)", exitCode: .unsupported)
        }
        close(input[0]); close(output[1])
        releaseFD = input[1]
        outputFD = output[0]
        guard let ticks = ProcessIdentity.startTicks(of: pid) else {
            close(releaseFD); close(outputFD)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            throw ChaosError("stress worker \(pid) exited at once")
        }
        id = StressWorkerID(pid: pid, startTicks: ticks)
    }

    deinit {
        if releaseFD >= 0 { close(releaseFD) }
        close(outputFD)
    }

    /// Let it start working.
    func release() throws {
        var go = UInt8(ascii: "g")
        let n = write(releaseFD, &go, 1)
        close(releaseFD)
        releaseFD = -1
        guard n == 1 else { throw ChaosError("stress worker \(id.pid) is gone before it was released") }
    }

    /// Wait until it says "ready" (memory: every page touched). A worker that exits first
    /// (killed by the cgroup's OOM killer, mmap refused) is an error with what it said.
    func awaitReady(timeout: Double) throws {
        let deadline = MonotonicClock.deadline(after: timeout)
        var said = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 512)
        while !String(decoding: said, as: UTF8.self).contains("ready\n") {
            let now = MonotonicClock.now()
            guard now < deadline else {
                throw ChaosError("stress worker \(id.pid) did not get ready within \(DurationParser.format(timeout))")
            }
            var fds = [pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 1, Int32(min(1000, (deadline - now) / 1_000_000 + 1)))
            let n = read(outputFD, &buffer, buffer.count)
            if n > 0 { said += buffer[0..<n]; continue }
            if n == 0 {
                let words = String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw ChaosError("stress worker \(id.pid) ended before it was ready" + (words.isEmpty ? " (killed: out of memory in its cgroup?)" : ": \(words)"))
            }
        }
    }
}
