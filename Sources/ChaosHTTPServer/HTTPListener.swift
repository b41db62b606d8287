import CChaosLinux
import Glibc

/// Binding the server's listening socket, with Go's wording for bind failures.
enum HTTPListener {
    /// A non-blocking listening socket on `host:port` (port 0 = any free port).
    static func bind(host: String, port: UInt16) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw ChaosHTTPServerError("cannot resolve \(host): \(String(cString: gai_strerror(status)))", unresolvable: true)
        }
        defer { freeaddrinfo(result) }
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let fd = socket(first.pointee.ai_family, type, 0)
        guard fd >= 0 else { throw ChaosHTTPServerError("socket: \(String(cString: strerror(errno)))") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard Glibc.bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw ChaosHTTPServerError("listen tcp \(host):\(port): bind: \(String(cString: strerror(code)).lowercased())",
                                       errno: code)
        }
        guard listen(fd, 1024) == 0 else {
            let code = errno
            close(fd)
            throw ChaosHTTPServerError("listen: \(String(cString: strerror(code)))", errno: code)
        }
        return fd
    }

    /// The port `fd` is bound to.
    static func boundPort(_ fd: Int32) -> UInt16 {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let family = Int32(address.ss_family)
        return withUnsafePointer(to: &address) { pointer in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }
}

/// A failure to bind or run the HTTP listener.
public struct ChaosHTTPServerError: Error, CustomStringConvertible {
    public var message: String
    public var errno: Int32
    /// The host name did not resolve: a bad address, not a busy one.
    public var unresolvable: Bool
    public init(_ message: String, errno: Int32 = 0, unresolvable: Bool = false) {
        self.message = message
        self.errno = errno
        self.unresolvable = unresolvable
    }
    public var description: String { message }
}
