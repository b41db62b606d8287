import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real listening socket on 127.0.0.1 that tests can close and reopen on the same port, to
/// simulate a service going down and coming back at a known instant. Connections are
/// accepted and closed at once by a background thread, so the backlog never fills.
// @unchecked Sendable: `fd` and `open` are guarded by `lock`; `acceptor` is only touched by the owner (listen, close).
final class TestTCPListener: @unchecked Sendable {
    private(set) var port: UInt16 = 0
    private var fd: Int32 = -1
    private var acceptor: Thread?
    private let lock = NSLock()
    private var open = false

    /// Listen on an ephemeral port.
    init() throws {
        try listen(port: 0)
    }

    /// Listen again on the same port after ``close()``.
    func reopen() throws { try listen(port: port) }

    func close() {
        lock.lock()
        open = false
        let old = fd
        fd = -1
        lock.unlock()
        if old >= 0 {
            shutdown(old, Int32(SHUT_RDWR))
            Glibc.close(old)
        }
        acceptor = nil
    }

    deinit { close() }

    private func listen(port: UInt16) throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw TestError("socket failed") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(s, 128) == 0 else {
            Glibc.close(s)
            throw TestError("bind/listen on 127.0.0.1:\(port) failed: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) }
        }
        lock.lock()
        self.port = UInt16(bigEndian: address.sin_port)
        fd = s
        open = true
        lock.unlock()
        let thread = Thread { [weak self] in self?.acceptLoop(s) }
        acceptor = thread
        thread.start()
    }

    private func acceptLoop(_ listening: Int32) {
        while true {
            var pfd = pollfd(fd: listening, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, 20)
            lock.lock()
            let stillOpen = open && fd == listening
            lock.unlock()
            guard stillOpen else { return }
            if pfd.revents & Int16(POLLIN) != 0 {
                let client = accept(listening, nil, nil)
                if client >= 0 { Glibc.close(client) }
            }
        }
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
