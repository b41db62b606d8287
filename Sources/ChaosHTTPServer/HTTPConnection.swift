/// One client connection as the server loop sees it. Owned by the loop thread only.
final class HTTPConnection {
    enum Phase {
        /// Waiting for (more of) a request.
        case reading
        /// A request is with a handler thread; nothing is read meanwhile.
        case handling
        /// A response (or 100 Continue) is being sent.
        case writing
        /// An error response was sent and the write side shut; unread bytes are
        /// discarded until the client closes or the deadline passes, so the client
        /// gets the response instead of a reset.
        case draining
    }

    let fd: Int32
    /// Unique for the server's life, unlike the descriptor, so a handler's late reply
    /// never reaches a newer connection that reuses the number.
    let serial: UInt64
    var parser: HTTPRequestParser
    var phase = Phase.reading
    var output: [UInt8] = []
    var outputOffset = 0
    var closeAfterWrite = false
    var peerClosed = false
    var requestsServed = 0
    /// This connection's share of the loop's buffered-bytes total, as last counted.
    var countedBytes = 0
    /// The epoll events asked for now.
    var interest: UInt32 = 0
    /// When the request being read started (its first byte), if one has.
    var requestStartedNs: UInt64?
    /// When the connection last became idle (accepted, or a response finished).
    var idleSinceNs: UInt64
    /// When the current write started, or draining began.
    var phaseStartedNs: UInt64 = 0

    init(fd: Int32, serial: UInt64, limits: HTTPRequestParser.Limits, nowNs: UInt64) {
        self.fd = fd
        self.serial = serial
        self.parser = HTTPRequestParser(limits: limits)
        self.idleSinceNs = nowNs
    }

    /// Waiting with no byte of a request: the first kind evicted at the connection cap.
    var isIdle: Bool { phase == .reading && requestStartedNs == nil }

    var hasPendingOutput: Bool { outputOffset < output.count }
}
