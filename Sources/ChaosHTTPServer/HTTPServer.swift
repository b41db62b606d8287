import Foundation
import Glibc

/// A small HTTP/1.1 server on plain sockets. One epoll thread reads, parses and writes
/// every connection; handlers run on a pool of threads (started on demand), so a slow
/// handler or a slow client never holds up the others. Keep-alive, pipelining answered
/// in order, bounded request sizes, and whole-request deadlines: a client sending one
/// byte a second cannot keep a connection, and at the connection cap the longest idle
/// (then the slowest) connection makes room for a new one instead of the new one being
/// refused. See docs/proxy-api.md, "The HTTP server".
// @unchecked Sendable: `loop`, `stopped` and `port` are guarded by `lock`.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPServerRequest) -> HTTPServerResponse

    public struct Options: Sendable {
        public var limits = HTTPRequestParser.Limits()
        /// At this many connections a new one evicts an idle or slow one; only when every
        /// connection has a request in a handler does the new one get 503. Above the
        /// 1 000 slow clients the API is budgeted for, far below the 20 000 descriptors
        /// the process shares with the proxies.
        public var maximumConnections = 2048
        /// A kept-alive connection with no request in progress is closed after this long.
        public var idleTimeoutSeconds = 60
        /// A request must arrive whole (head and body) within this long of its first byte,
        /// else 408 and close; bytes that trickle in do not extend it. A new connection
        /// must send its first byte within this long too (silently closed otherwise).
        public var requestTimeoutSeconds: Double = 10
        /// A response the client does not read within this long is abandoned.
        public var writeTimeoutSeconds: Double = 30
        /// Bytes of unfinished requests held for all connections together. Beyond it the
        /// connection holding the most is closed, so many large bodies sent at once cannot
        /// exhaust memory (2 048 connections × an 8 MiB body would be 16 GiB).
        public var maximumBufferedBytes = 128 * 1024 * 1024
        /// Handler threads, started as requests need them.
        public var maximumHandlerThreads = 64
        public init() {}
    }

    private let handler: Handler
    private let options: Options
    private let lock = NSLock()
    private var loop: HTTPServerLoop?
    private var stopped = false

    /// The bound port, valid after `start`.
    public private(set) var port: UInt16 = 0

    public init(options: Options = Options(), handler: @escaping Handler) {
        self.options = options
        self.handler = handler
    }

    /// Binds `host:port` (port 0 = any free port) and starts serving.
    public func start(host: String, port: UInt16) throws {
        let fd = try HTTPListener.bind(host: host, port: port)
        let loop: HTTPServerLoop
        do {
            loop = try HTTPServerLoop(listenFd: fd, options: options, handler: handler)
        } catch {
            close(fd)
            throw error
        }
        self.port = HTTPListener.boundPort(fd)
        lock.lock()
        self.loop = loop
        lock.unlock()
        loop.start()
    }

    /// Stops accepting, closes every connection and the listening socket, and waits for
    /// the loop thread. Handlers already running finish; their responses are dropped.
    public func stop() {
        lock.lock()
        guard !stopped, let loop else { lock.unlock(); return }
        stopped = true
        lock.unlock()
        loop.stop()
    }
}
