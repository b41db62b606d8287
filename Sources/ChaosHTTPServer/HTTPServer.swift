import Foundation
import Glibc

/// A small HTTP/1.1 server on plain sockets: one accept thread and one thread per
/// connection (bounded), keep-alive, pipelining answered in order, bounded request
/// sizes and an idle timeout. The handler must not block for long.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public struct Options: Sendable {
        public var limits = HTTPRequestParser.Limits()
        /// Connections beyond this are answered 503 and closed.
        public var maximumConnections = 128
        /// A connection silent this long is closed.
        public var idleTimeoutSeconds = 60
        public init() {}
    }

    private let handler: Handler
    private let options: Options
    private let lock = NSLock()
    private var listenFD: Int32 = -1
    private var connectionFDs: Set<Int32> = []
    private var acceptThread: Thread?
    private var stopped = false
    private let acceptDone = DispatchSemaphore(value: 0)

    /// The bound port, valid after `start`.
    public private(set) var port: UInt16 = 0

    public init(options: Options = Options(), handler: @escaping Handler) {
        self.options = options
        self.handler = handler
    }

    /// Binds `host:port` (port 0 = any free port) and starts accepting.
    public func start(host: String, port: UInt16) throws {
        let fd = try Self.bindListener(host: host, port: port)
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Self.port(of: address)
        lock.lock()
        listenFD = fd
        lock.unlock()
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "proxy-api-accept"
        thread.stackSize = 256 * 1024
        acceptThread = thread
        thread.start()
    }

    /// Stops accepting, closes every connection and waits for the accept thread.
    public func stop() {
        lock.lock()
        guard !stopped, listenFD >= 0 else { lock.unlock(); return }
        stopped = true
        let fd = listenFD
        for connection in connectionFDs { shutdown(connection, Int32(SHUT_RDWR)) }
        lock.unlock()
        // shutdown() wakes a thread blocked in accept(); close only after it has left.
        shutdown(fd, Int32(SHUT_RDWR))
        acceptDone.wait()
        close(fd)
    }

    static func bindListener(host: String, port: UInt16) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw ChaosHTTPServerError("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ChaosHTTPServerError("socket: \(String(cString: strerror(errno)))") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw ChaosHTTPServerError("listen tcp \(host):\(port): bind: \(String(cString: strerror(code)).lowercased())",
                                       errno: code)
        }
        guard listen(fd, 128) == 0 else {
            let code = errno
            close(fd)
            throw ChaosHTTPServerError("listen: \(String(cString: strerror(code)))", errno: code)
        }
        return fd
    }

    static func port(of address: sockaddr_storage) -> UInt16 {
        var copy = address
        return withUnsafePointer(to: &copy) { pointer in
            if Int32(address.ss_family) == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    private func acceptLoop(_ fd: Int32) {
        defer { acceptDone.signal() }
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE { usleep(50_000); continue }
                return
            }
            lock.lock()
            let refuse = stopped || connectionFDs.count >= options.maximumConnections
            if !refuse { connectionFDs.insert(client) }
            let isStopped = stopped
            lock.unlock()
            if refuse {
                if !isStopped { writeAll(client, HTTPResponse(status: 503, text: "too many connections\n").serialized(closing: true)) }
                close(client)
                if isStopped { return }
                continue
            }
            let thread = Thread { [self] in serve(client) }
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.lock()
            connectionFDs.remove(fd)
            lock.unlock()
            close(fd)
        }
        var timeout = timeval(tv_sec: options.idleTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // A client that stops reading must not hold its thread forever either.
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noDelay: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        var parser = HTTPRequestParser(limits: options.limits)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            // Answer every complete request already buffered (pipelining) before reading more.
            do {
                while let request = try parser.next() {
                    let keepAlive = request.keepAlive
                    let response = handler(request)
                    let bytes = response.serialized(forHead: request.method == "HEAD", closing: !keepAlive)
                    guard writeAll(fd, bytes), keepAlive else { return }
                }
            } catch let error as HTTPParseError {
                let response = HTTPResponse(status: error.status,
                                            headers: [("Content-Type", "text/plain; charset=utf-8")],
                                            text: "\(error.status) \(error.reason)")
                writeAll(fd, response.serialized(closing: true))
                return
            } catch {
                return
            }
            if parser.wantsContinue {
                parser.markContinueSent()
                guard writeAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
            }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            parser.append(chunk[0..<count])
        }
    }

    @discardableResult
    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }
}

/// A failure to bind or run the HTTP listener.
public struct ChaosHTTPServerError: Error, CustomStringConvertible {
    public var message: String
    public var errno: Int32
    public init(_ message: String, errno: Int32 = 0) {
        self.message = message
        self.errno = errno
    }
    public var description: String { message }
}
