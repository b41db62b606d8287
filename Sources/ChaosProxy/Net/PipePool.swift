import CChaosLinux
import Glibc

/// A kernel pipe used as the zero-copy buffer between two sockets (splice in, splice out).
struct SplicePipe {
    let readEnd: Int32
    let writeEnd: Int32
    /// Default pipe capacity on Linux (16 pages); we never ask more of it.
    static let capacity = 65_536
}

/// Pipes for one event loop. A direction takes a pipe only while bytes are in flight and
/// gives it back as soon as it is empty, so idle connections hold no pipe at all: the fd
/// budget (20 000 per process, 2 sockets per connection already) goes to sockets. A few
/// empty pipes are kept for reuse; beyond that they are closed.
final class PipePool {
    private var idle: [SplicePipe] = []
    private let maxIdle: Int
    /// Pipes handed out and not yet returned (for tests and diagnostics).
    private(set) var inUse = 0

    init(maxIdle: Int = 16) { self.maxIdle = maxIdle }

    /// An empty pipe, or nil when none can be created (EMFILE…): the caller copies instead.
    func acquire() -> SplicePipe? {
        if let pipe = idle.popLast() {
            inUse += 1
            return pipe
        }
        var fds: [Int32] = [-1, -1]
        guard cchaos_pipe_nonblock(&fds) == 0 else { return nil }
        inUse += 1
        return SplicePipe(readEnd: fds[0], writeEnd: fds[1])
    }

    /// Return an empty pipe. A pipe that may still hold bytes must be discarded instead.
    func release(_ pipe: SplicePipe) {
        inUse -= 1
        if idle.count < maxIdle {
            idle.append(pipe)
        } else {
            close(pipe.readEnd)
            close(pipe.writeEnd)
        }
    }

    /// Close a pipe whose content is unknown (connection torn down mid-transfer).
    func discard(_ pipe: SplicePipe) {
        inUse -= 1
        close(pipe.readEnd)
        close(pipe.writeEnd)
    }

    /// Close every idle pipe (loop shutdown).
    func drain() {
        for pipe in idle {
            close(pipe.readEnd)
            close(pipe.writeEnd)
        }
        idle.removeAll()
    }
}
