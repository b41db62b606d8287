import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) whose n-th request (from 0) gets
/// 200 when `healthy(n)` is true and 500 otherwise, one connection at a time, each closed
/// after its answer. Lets a probe test fix the exact share of failed samples.
// @unchecked Sendable: mutable state is guarded by `lock`.
final class ScriptedHTTPServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let healthy: @Sendable (Int) -> Bool
    private let lock = NSLock()
    private var answered = 0
    private let finished = DispatchSemaphore(value: 0)

    var requests: Int { lock.lock(); defer { lock.unlock() }; return answered }

    init(healthy: @escaping @Sendable (Int) -> Bool) throws {
        self.healthy = healthy
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                bind(fd, raw, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { close(fd); throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// Stop accepting and wait for the serving thread to end.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        finished.wait()
        close(listener)
    }

    private func serve() {
        defer { finished.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            answer(connection)
            close(connection)
        }
    }

    private func answer(_ connection: Int32) {
        var head = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        // Read the request head; a probe sends no body.
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let n = read(connection, &buffer, buffer.count)
            if n <= 0 { return }
            head += buffer[0..<n]
        }
        lock.lock()
        let index = answered
        answered += 1
        lock.unlock()
        let status = healthy(index) ? "200 OK" : "500 Internal Server Error"
        let response = Array("HTTP/1.1 \(status)\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8)
        _ = response.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
    }
}
