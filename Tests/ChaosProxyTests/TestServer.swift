import Foundation
import Glibc

/// A blocking upstream server on 127.0.0.1:0 for the tests. Each accepted connection is
/// served by `handler` on its own thread (or on the accept thread when `serial`).
// @unchecked Sendable: `stopping` is guarded by `lock`; `handler` is a let, called on the server's threads by design.
final class TestServer: @unchecked Sendable {
    let port: UInt16
    private let listenFd: Int32
    private let handler: (Int32) -> Void
    private let lock = NSLock()
    private var stopping = false
    private let acceptorDone = DispatchSemaphore(value: 0)
    private let handlersDone = DispatchGroup()

    init(serial: Bool = false, handler: @escaping (Int32) -> Void) {
        (listenFd, port) = TestSockets.listen()
        self.handler = handler
        Thread { [self] in
            while true {
                let client = accept(self.listenFd, nil, nil)
                if client < 0 {
                    if errno == EINTR { continue }
                    break
                }
                if self.lock.withLock({ self.stopping }) {
                    close(client)
                    break
                }
                TestSockets.setTimeouts(client)
                if serial {
                    self.handler(client)
                } else {
                    self.handlersDone.enter()
                    Thread {
                        self.handler(client)
                        self.handlersDone.leave()
                    }.start()
                }
            }
            self.acceptorDone.signal()
        }.start()
    }

    /// Stop accepting and wait (bounded) for running handlers.
    func stop() {
        lock.withLock { stopping = true }
        shutdown(listenFd, Int32(SHUT_RDWR))  // wakes accept()
        _ = acceptorDone.wait(timeout: .now() + 5)
        close(listenFd)
        _ = handlersDone.wait(timeout: .now() + 10)
    }

    /// Echo every byte back until EOF, then close.
    static func echo() -> TestServer {
        TestServer { fd in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                if !TestSockets.writeAll(fd, Array(buffer[0..<n])) { break }
            }
            close(fd)
        }
    }
}
