import CChaosLinux
import Glibc
import Synchronization

/// A proxy's listening socket, on one event loop. It accepts in small batches and hands
/// each connection to the engine, which picks a loop round-robin.
///
/// Out of descriptors (EMFILE/ENFILE): level-triggered epoll would report the pending
/// connection forever. We keep one spare descriptor: close it, accept and close the
/// connection (the client sees a close, counted as refused), reopen the spare, and mute
/// the listener for `pauseAfterExhaustion` so the loop does not spin while fds are short.
final class ProxyListener: EpollTarget, TimerTarget {
    static let acceptBatch = 64
    static let pauseAfterExhaustion: Nanos = 20_000_000

    let fd: Int32
    let runtime: ProxyRuntime
    private unowned let loop: EventLoop
    private let dispatch: (Int32, SocketAddress?, ProxyRuntime, EventLoop, Nanos) -> Void
    private var spareFd: Int32
    private var paused = false
    private var closed = false

    init(fd: Int32, runtime: ProxyRuntime, loop: EventLoop,
         dispatch: @escaping (Int32, SocketAddress?, ProxyRuntime, EventLoop, Nanos) -> Void) {
        self.fd = fd
        self.runtime = runtime
        self.loop = loop
        self.dispatch = dispatch
        self.spareFd = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    /// Start accepting (loop thread).
    func activate() {
        if !loop.register(fd, events: Epoll.input, target: self) { close() }
    }

    func handle(fd: Int32, events: UInt32, now: Nanos) {
        for _ in 0..<ProxyListener.acceptBatch {
            guard !closed else { return }
            var peer = sockaddr_in6()
            var length = UInt32(MemoryLayout<sockaddr_in6>.size)
            let client = cchaos_accept_nonblock_peer(fd, &peer, &length)
            if client >= 0 {
                let address = withUnsafeBytes(of: &peer) { SocketAddress(raw: $0.baseAddress!, length: length) }
                dispatch(client, address, runtime, loop, now)
                continue
            }
            let code = errno
            if code == ECONNABORTED || code == EINTR { continue }
            if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                shedOneConnection()
                pause(now: now)
            }
            return  // EAGAIN: backlog empty
        }
    }

    private func shedOneConnection() {
        if spareFd >= 0 {
            Glibc.close(spareFd)
            spareFd = -1
        }
        let client = cchaos_accept_nonblock(fd)
        if client >= 0 {
            // Count first: whoever sees the close may read the counters at once.
            runtime.counters.accepted.wrappingAdd(1, ordering: .relaxed)
            runtime.counters.refused.wrappingAdd(1, ordering: .relaxed)
            Glibc.close(client)
        }
        spareFd = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    private func pause(now: Nanos) {
        guard !paused else { return }
        paused = true
        loop.modify(fd, events: 0)
        loop.schedule(self, at: now + ProxyListener.pauseAfterExhaustion, precise: false)
    }

    func timerFired(now: Nanos) {
        guard paused, !closed else { return }
        paused = false
        loop.modify(fd, events: Epoll.input)
    }

    /// Stop listening and free the port (loop thread).
    func close() {
        guard !closed else { return }
        closed = true
        loop.unregister(fd)
        Glibc.close(fd)
        if spareFd >= 0 { Glibc.close(spareFd) }
        spareFd = -1
    }
}
