import ChaosSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Healthy when a TCP connection to host:port is established within the timeout.
/// The connection is closed straight away; nothing is sent.
public struct TCPProbe: Probe {
    public var name: String
    public var host: String
    public var port: UInt16
    /// Seconds allowed for the handshake. Name resolution (getaddrinfo) cannot be bounded by
    /// it; use an IP address where a slow resolver must not stretch the check.
    public var timeout: Double

    public init(name: String? = nil, host: String, port: UInt16, timeout: Double = 1) {
        self.name = name ?? "tcp \(host):\(port)"
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    public func check() -> ProbeCheck {
        let deadline = MonotonicClock.now() + UInt64(max(0, timeout) * 1e9)
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            return .failure("resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        return connect(first.pointee, deadline: deadline)
    }

    private func connect(_ address: addrinfo, deadline: UInt64) -> ProbeCheck {
        let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue),
                        address.ai_protocol)
        guard fd >= 0 else { return .failure("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if Glibc.connect(fd, address.ai_addr, address.ai_addrlen) == 0 { return .healthy }
        guard errno == EINPROGRESS else { return .failure("connect: \(String(cString: strerror(errno)))") }

        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        while true {
            let now = MonotonicClock.now()
            guard now < deadline else { return .failure("connect: timed out after \(DurationText.seconds(timeout))") }
            let waitMs = Int32(min(UInt64(Int32.max), (deadline - now + 999_999) / 1_000_000))
            let n = poll(&pfd, 1, waitMs)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .failure("poll: \(String(cString: strerror(errno)))") }
            if n > 0 { break }
        }
        var soError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
        return soError == 0 ? .healthy : .failure("connect: \(String(cString: strerror(soError)))")
    }
}
