import Foundation
import Glibc

/// An upstream on 127.0.0.1 that echoes every byte back and remembers, per connection, the
/// checksum of what it received (the upstream direction's proof). One thread per
/// connection; `stop()` closes the listener and every live connection.
// @unchecked Sendable: mutable state is guarded by `lock`.
final class EchoServer: @unchecked Sendable {
    let port: UInt16
    private let listenFD: Int32
    private let lock = NSLock()
    private var live: Set<Int32> = []
    private var received: [Checksum] = []
    private var stopped = false
    private let acceptor = DispatchGroup()

    init() throws {
        (listenFD, port) = try Sockets.listen()
        let thread = Thread { [unowned self] in self.acceptLoop() }
        acceptor.enter()
        thread.start()
    }

    var address: String { "127.0.0.1:\(port)" }

    /// Checksums of finished connections, in the order they ended.
    var receivedChecksums: [Checksum] { lock.withLock { received } }

    var liveConnections: Int { lock.withLock { live.count } }

    private func acceptLoop() {
        defer { acceptor.leave() }
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            let accepted = lock.withLock { () -> Bool in
                if stopped { return false }
                live.insert(fd)
                return true
            }
            guard accepted else { close(fd); return }
            let thread = Thread { [unowned self] in self.echo(fd) }
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }

    private func echo(_ fd: Int32) {
        var sum = Checksum()
        var buffer = [UInt8](repeating: 0, count: 128 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            let chunk = Array(buffer[0..<n])
            sum.add(chunk)
            if !Sockets.writeAll(fd, chunk) { break }
        }
        shutdown(fd, Int32(SHUT_WR))
        lock.withLock {
            received.append(sum)
            if live.remove(fd) != nil { close(fd) }
        }
    }

    func stop() {
        let fds = lock.withLock { () -> Set<Int32> in
            stopped = true
            return live
        }
        shutdown(listenFD, Int32(SHUT_RDWR))
        for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
        acceptor.wait()
        close(listenFD)
        // Connection threads close their own descriptors once their reads fail.
        for _ in 0..<200 where liveConnections > 0 { usleep(10_000) }
    }

    deinit { }
}
