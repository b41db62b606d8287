import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The demo's dependency: a TCP server answering each "ping" line with "pong". A thread per
/// connection is plenty for a demo and keeps it obviously correct.
// @unchecked Sendable: `stopped` is guarded by `lock`; the listener and port are set in start() before any other thread runs.
public final class DemoDatabase: @unchecked Sendable {
    private var listenFD: Int32 = -1
    public private(set) var port: UInt16 = 0
    private let lock = NSLock()
    private var stopped = false

    public init() {}

    @discardableResult
    public func start(port requested: UInt16 = 0) throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requested.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                guard bind(fd, p, length) == 0, listen(fd, 128) == 0 else { return -1 }
                return getsockname(fd, p, &length)
            }
        }
        guard bound == 0 else {
            let text = String(cString: strerror(errno))
            close(fd)
            throw DemoError("demo database: cannot listen on 127.0.0.1:\(requested): \(text)")
        }
        listenFD = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread { [self] in acceptLoop(fd) }.start()
        return port
    }

    public func stop() {
        lock.lock(); stopped = true; lock.unlock()
        shutdown(listenFD, Int32(SHUT_RDWR))
        close(listenFD)
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                lock.lock(); let done = stopped; lock.unlock()
                if done { return }
                if errno == EINTR || errno == ECONNABORTED { continue }
                usleep(10_000)
                continue
            }
            Thread { Self.serve(client) }.start()
        }
    }

    private static func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        var pending = [UInt8]()
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return }
            pending += buffer[0..<n]
            while let newline = pending.firstIndex(of: 10) {
                pending.removeSubrange(...newline)
                let reply = Array("pong\n".utf8)
                if send(fd, reply, reply.count, Int32(MSG_NOSIGNAL)) != reply.count { return }
            }
        }
    }
}

public struct DemoError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
