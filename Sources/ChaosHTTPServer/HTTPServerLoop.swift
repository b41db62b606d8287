import CChaosLinux
import ChaosSystem
import Foundation
import Glibc

/// The server's one I/O thread: a level-triggered epoll set holding the listening
/// socket, every connection and a wake-up eventfd. It accepts, reads, parses and writes
/// without blocking; complete requests go to the handler pool and their responses come
/// back through `complete`. Time limits are whole-phase deadlines (a request must
/// arrive within `requestTimeout` of its first byte, however it trickles in), checked
/// every `sweepInterval`. At the connection cap the least useful connection is closed
/// to make room: the longest idle first, then the slowest partial request.
// @unchecked Sendable: after start, mutable state is only touched by the loop's own thread; other threads use the wake eventfd.
final class HTTPServerLoop: @unchecked Sendable {
    private enum Events {
        static let input: UInt32 = 0x001
        static let output: UInt32 = 0x004
        static let error: UInt32 = 0x008
        static let hangUp: UInt32 = 0x010
        static let add: Int32 = 1, delete: Int32 = 2, modify: Int32 = 3
    }

    private static let sweepIntervalNs: UInt64 = 100_000_000
    private static let drainTimeoutNs: UInt64 = 1_000_000_000

    private let options: HTTPServer.Options
    private let handler: HTTPServer.Handler
    private let listenFd: Int32
    private let epollFd: Int32
    private let wakeFd: Int32
    private let pool: HandlerPool
    private let finished = DispatchSemaphore(value: 0)

    // Loop thread only.
    private var connections: [Int32: HTTPConnection] = [:]
    private var nextSerial: UInt64 = 1
    private var acceptPausedUntilNs: UInt64 = 0
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Sum of every connection's `countedBytes`.
    private var bufferedBytes = 0

    // Shared with handler threads and `stop`, under `lock`.
    private let lock = NSLock()
    private var completions: [(fd: Int32, serial: UInt64, bytes: [UInt8], close: Bool)] = []
    private var stopping = false

    init(listenFd: Int32, options: HTTPServer.Options, handler: @escaping HTTPServer.Handler) throws {
        self.listenFd = listenFd
        self.options = options
        self.handler = handler
        epollFd = cchaos_epoll_create()
        wakeFd = cchaos_eventfd_nonblock()
        guard epollFd >= 0, wakeFd >= 0 else {
            let code = errno
            if epollFd >= 0 { close(epollFd) }
            if wakeFd >= 0 { close(wakeFd) }
            throw ChaosHTTPServerError("epoll: \(String(cString: strerror(code)))", errno: code)
        }
        pool = HandlerPool(maximumThreads: options.maximumHandlerThreads, name: "http-handler")
        _ = cchaos_epoll_ctl(epollFd, Events.add, listenFd, Events.input, UInt64(listenFd))
        _ = cchaos_epoll_ctl(epollFd, Events.add, wakeFd, Events.input, UInt64(wakeFd))
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "http-loop"
        thread.stackSize = 512 * 1024
        thread.start()
    }

    /// Ends the loop, closes every connection and the listening socket, and waits.
    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        ring()
        finished.wait()
        pool.stop()
    }

    /// From a handler thread: the serialized response for connection `serial`.
    private func complete(_ fd: Int32, _ serial: UInt64, _ bytes: [UInt8], close: Bool) {
        lock.lock()
        completions.append((fd, serial, bytes, close))
        lock.unlock()
        ring()
    }

    private func ring() {
        var one: UInt64 = 1
        _ = write(wakeFd, &one, 8)
    }

    // MARK: The loop

    private func run() {
        var datas = [UInt64](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)
        var nextSweepNs = MonotonicClock.now() + Self.sweepIntervalNs
        while true {
            let count = cchaos_epoll_wait_ns(epollFd, &datas, &events, Int32(datas.count),
                                             Int64(Self.sweepIntervalNs))
            lock.lock()
            let stop = stopping
            lock.unlock()
            if stop { break }
            for index in 0..<max(0, Int(count)) {
                let fd = Int32(truncatingIfNeeded: datas[index])
                if fd == listenFd {
                    acceptAll()
                } else if fd == wakeFd {
                    var value: UInt64 = 0
                    _ = read(wakeFd, &value, 8)
                    deliverCompletions()
                } else if let connection = connections[fd] {
                    handle(connection, events: events[index])
                }
            }
            let now = MonotonicClock.now()
            if now >= nextSweepNs {
                sweep(now)
                nextSweepNs = now + Self.sweepIntervalNs
            }
        }
        for connection in Array(connections.values) { closeConnection(connection) }
        close(listenFd)
        close(epollFd)
        close(wakeFd)
        finished.signal()
    }

    private func handle(_ connection: HTTPConnection, events: UInt32) {
        if events & (Events.error | Events.hangUp) != 0 {
            // The peer is gone (reset, or both directions closed): nothing more to say.
            closeConnection(connection)
            return
        }
        if events & Events.output != 0, connection.phase == .writing {
            flush(connection)
            return
        }
        if events & Events.input != 0 {
            readAvailable(connection)
        }
    }

    // MARK: Accepting

    private func acceptAll() {
        let now = MonotonicClock.now()
        guard now >= acceptPausedUntilNs else { return }
        for _ in 0..<64 {
            let fd = cchaos_accept_nonblock(listenFd)
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE:
                    // Out of descriptors: make room if a connection can go, else let the
                    // backlog wait a little instead of spinning on a ready listener.
                    if !evictOne() { pauseAccepting(now) }
                    return
                default:
                    return
                }
            }
            if connections.count >= options.maximumConnections, !evictOne() {
                let busy = HTTPServerResponse(status: 503, text: "too many connections\n").serialized(closing: true)
                _ = busy.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(fd)
                continue
            }
            var noDelay: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            let connection = HTTPConnection(fd: fd, serial: nextSerial, limits: options.limits, nowNs: MonotonicClock.now())
            nextSerial += 1
            connections[fd] = connection
            connection.interest = Events.input
            _ = cchaos_epoll_ctl(epollFd, Events.add, fd, Events.input, UInt64(UInt32(bitPattern: fd)))
        }
    }

    private func pauseAccepting(_ now: UInt64) {
        acceptPausedUntilNs = now + Self.sweepIntervalNs
        _ = cchaos_epoll_ctl(epollFd, Events.modify, listenFd, 0, UInt64(listenFd))
    }

    /// Closes the connection that is worth least: the longest idle one, else the one
    /// whose partial request started longest ago, else the slowest writer or drainer.
    /// Never one whose request a handler is running. False if nothing could go.
    @discardableResult
    private func evictOne() -> Bool {
        var victim: HTTPConnection?
        var victimRank = (Int.max, UInt64.max, UInt64.max)
        for connection in connections.values {
            let rank: (Int, UInt64, UInt64)
            switch connection.phase {
            case .handling: continue
            case .reading:
                rank = connection.requestStartedNs.map { (1, $0, connection.serial) }
                    ?? (0, connection.idleSinceNs, connection.serial)
            case .draining: rank = (2, connection.phaseStartedNs, connection.serial)
            case .writing: rank = (3, connection.phaseStartedNs, connection.serial)
            }
            if rank < victimRank { victim = connection; victimRank = rank }
        }
        guard let victim else { return false }
        closeConnection(victim)
        return true
    }

    // MARK: Reading and requests

    private func readAvailable(_ connection: HTTPConnection) {
        if connection.phase == .draining {
            discardInput(connection)
            return
        }
        guard connection.phase == .reading else { return }
        for _ in 0..<4 {
            let count = readBuffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                if connection.requestStartedNs == nil { connection.requestStartedNs = MonotonicClock.now() }
                connection.parser.append(readBuffer[0..<count])
                if count < readBuffer.count { break }
                continue
            }
            if count == 0 { connection.peerClosed = true; break }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { break }
            closeConnection(connection)
            return
        }
        advance(connection)
        enforceBufferBudget()
    }

    /// Brings the loop's total of buffered request bytes up to date for `connection`.
    private func account(_ connection: HTTPConnection) {
        guard connections[connection.fd] === connection else { return }
        let now = connection.parser.bufferedByteCount
        bufferedBytes += now - connection.countedBytes
        connection.countedBytes = now
    }

    /// Over the budget, closes the connections holding the most unfinished bytes (never
    /// one whose request a handler is running) until the total fits again.
    private func enforceBufferBudget() {
        while bufferedBytes > options.maximumBufferedBytes {
            let candidates = connections.values.filter { $0.phase != .handling && $0.countedBytes > 0 }
            guard let largest = candidates.max(by: { $0.countedBytes < $1.countedBytes }) else { return }
            closeConnection(largest)
        }
    }

    /// Hands the next complete request to a handler, answers a parse error, sends
    /// 100 Continue, or goes back to reading; closes when the peer has gone.
    private func advance(_ connection: HTTPConnection) {
        defer { account(connection) }
        guard connection.phase == .reading else { return }
        do {
            if let request = try connection.parser.next() {
                dispatch(request, on: connection)
                return
            }
        } catch let error as HTTPParseError {
            let response = HTTPServerResponse(status: error.status, headers: [("Content-Type", "text/plain; charset=utf-8")],
                                        text: "\(error.status) \(error.reason)")
            send(response.serialized(closing: true), on: connection, closeAfter: true)
            return
        } catch {
            closeConnection(connection)
            return
        }
        if connection.peerClosed {
            closeConnection(connection)
            return
        }
        if connection.parser.wantsContinue {
            connection.parser.markContinueSent()
            send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), on: connection, closeAfter: false)
            return
        }
        if !connection.parser.hasPartialRequest {
            // Only blank lines arrived: still idle, and idle since before them, so a
            // stream of CRLFs never extends a connection's life.
            connection.requestStartedNs = nil
        }
        setInterest(connection, Events.input)
    }

    private func dispatch(_ request: HTTPServerRequest, on connection: HTTPConnection) {
        connection.phase = .handling
        connection.requestsServed += 1
        connection.requestStartedNs = connection.parser.hasPartialRequest ? MonotonicClock.now() : nil
        setInterest(connection, 0)
        let fd = connection.fd, serial = connection.serial
        let handler = self.handler
        pool.submit { [self] in
            let keepAlive = request.keepAlive
            let response = handler(request)
            complete(fd, serial, response.serialized(forHead: request.method == "HEAD", closing: !keepAlive), close: !keepAlive)
        }
    }

    private func deliverCompletions() {
        lock.lock()
        let ready = completions
        completions = []
        lock.unlock()
        for completion in ready {
            guard let connection = connections[completion.fd], connection.serial == completion.serial,
                  connection.phase == .handling else { continue }
            connection.phase = .reading
            send(completion.bytes, on: connection, closeAfter: completion.close)
        }
    }

    // MARK: Writing

    private func send(_ bytes: [UInt8], on connection: HTTPConnection, closeAfter: Bool) {
        connection.phase = .writing
        connection.phaseStartedNs = MonotonicClock.now()
        connection.output = bytes
        connection.outputOffset = 0
        connection.closeAfterWrite = closeAfter
        flush(connection)
    }

    private func flush(_ connection: HTTPConnection) {
        while connection.hasPendingOutput {
            let written = connection.output[connection.outputOffset...].withUnsafeBytes {
                Glibc.send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written > 0 { connection.outputOffset += written; continue }
            if written < 0, errno == EINTR { continue }
            if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                setInterest(connection, Events.output)
                return
            }
            closeConnection(connection)
            return
        }
        connection.output = []
        connection.outputOffset = 0
        if connection.closeAfterWrite {
            startDraining(connection)
            return
        }
        connection.phase = .reading
        if !connection.parser.hasPartialRequest {
            connection.requestStartedNs = nil
            connection.idleSinceNs = MonotonicClock.now()
        } else if connection.requestStartedNs == nil {
            connection.requestStartedNs = MonotonicClock.now()
        }
        advance(connection)
    }

    /// Half-closes after a final response and reads what the client still sends, for
    /// at most `drainTimeoutNs`, so closing does not reset the connection under the
    /// response (RFC 9112 §9.6).
    private func startDraining(_ connection: HTTPConnection) {
        if connection.peerClosed {
            closeConnection(connection)
            return
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.phase = .draining
        connection.phaseStartedNs = MonotonicClock.now()
        setInterest(connection, Events.input)
        discardInput(connection)
    }

    private func discardInput(_ connection: HTTPConnection) {
        for _ in 0..<16 {
            let count = readBuffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { continue }
            if count < 0, errno == EINTR { continue }
            if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { return }
            closeConnection(connection)
            return
        }
    }

    // MARK: Deadlines

    private func sweep(_ now: UInt64) {
        if acceptPausedUntilNs != 0, now >= acceptPausedUntilNs {
            acceptPausedUntilNs = 0
            _ = cchaos_epoll_ctl(epollFd, Events.modify, listenFd, Events.input, UInt64(listenFd))
        }
        let idleLimit = UInt64(max(0, options.idleTimeoutSeconds)) * 1_000_000_000
        let requestLimit = UInt64(max(0, options.requestTimeoutSeconds) * 1e9)
        let writeLimit = UInt64(max(0, options.writeTimeoutSeconds) * 1e9)
        func elapsed(_ since: UInt64) -> UInt64 { now > since ? now - since : 0 }
        for connection in Array(connections.values) {
            switch connection.phase {
            case .handling:
                continue
            case .reading:
                if let started = connection.requestStartedNs {
                    if elapsed(started) >= requestLimit { timeOut(connection) }
                } else if elapsed(connection.idleSinceNs) >= (connection.requestsServed == 0 ? min(idleLimit, requestLimit) : idleLimit) {
                    // A new connection must start its first request within the request
                    // deadline (as Go's ReadHeaderTimeout); a kept-alive one may idle longer.
                    closeConnection(connection)
                }
            case .writing:
                if elapsed(connection.phaseStartedNs) >= writeLimit { closeConnection(connection) }
            case .draining:
                if elapsed(connection.phaseStartedNs) >= Self.drainTimeoutNs { closeConnection(connection) }
            }
        }
    }

    /// A request that did not arrive in time: 408, then close.
    private func timeOut(_ connection: HTTPConnection) {
        let response = HTTPServerResponse(status: 408, headers: [("Content-Type", "text/plain; charset=utf-8")],
                                    text: "408 Request Timeout")
        send(response.serialized(closing: true), on: connection, closeAfter: true)
    }

    // MARK: Bookkeeping

    private func setInterest(_ connection: HTTPConnection, _ events: UInt32) {
        guard connection.interest != events, connections[connection.fd] === connection else { return }
        connection.interest = events
        _ = cchaos_epoll_ctl(epollFd, Events.modify, connection.fd, events, UInt64(UInt32(bitPattern: connection.fd)))
    }

    private func closeConnection(_ connection: HTTPConnection) {
        guard connections[connection.fd] === connection else { return }
        connections[connection.fd] = nil
        bufferedBytes -= connection.countedBytes
        connection.countedBytes = 0
        _ = cchaos_epoll_ctl(epollFd, Events.delete, connection.fd, 0, 0)
        close(connection.fd)
    }
}
