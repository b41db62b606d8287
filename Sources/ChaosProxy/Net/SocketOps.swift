import CChaosLinux
import Glibc

/// Thin wrappers over the socket calls the data plane makes, so the logic files read as
/// intent rather than C.
enum SocketOps {
    /// A non-blocking, close-on-exec TCP socket.
    static func tcpSocket(family: Int32) -> Int32 {
        socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Small chunks must leave at once: latency and slicer timings are the point of a toxic.
    static func setNoDelay(_ fd: Int32) { setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1) }

    /// Close so that the peer sees RST rather than FIN (SO_LINGER with a 0 timeout).
    static func closeWithReset(_ fd: Int32) {
        setResetOnClose(fd)
        close(fd)
    }

    /// Make the coming close(2) send RST rather than FIN.
    static func setResetOnClose(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }

    /// Errors that mean "try again later" on a non-blocking descriptor.
    static func isWouldBlock(_ code: Int32) -> Bool { code == EAGAIN || code == EWOULDBLOCK || code == EINTR }
}
