/// Why a request could not be parsed, with the status to answer before closing.
public struct HTTPParseError: Error, Equatable {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    static let badRequest = HTTPParseError(status: 400, reason: "Bad Request")
    static let headTooLarge = HTTPParseError(status: 431, reason: "Request Header Fields Too Large")
    static let bodyTooLarge = HTTPParseError(status: 413, reason: "Request Entity Too Large")
    static let unsupportedEncoding = HTTPParseError(status: 501, reason: "Not Implemented")
}

/// Incremental HTTP/1.1 request parser for one connection. Bytes are appended as they
/// arrive; `next()` yields complete requests in order, so pipelined requests are
/// answered one by one. Every size is bounded and every scan resumes where the last
/// one stopped, so no input can trap, grow memory without bound or cost quadratic time.
/// Fuzz entry point: `append` any bytes, call `next()` until it returns nil or throws.
public struct HTTPRequestParser {
    public struct Limits: Sendable {
        public var maximumHeadBytes: Int
        public var maximumBodyBytes: Int
        public var maximumHeaderCount: Int
        /// A chunk-size line, extensions included.
        public var maximumChunkLineBytes: Int
        public init(maximumHeadBytes: Int = 64 * 1024, maximumBodyBytes: Int = 8 * 1024 * 1024,
                    maximumHeaderCount: Int = 100, maximumChunkLineBytes: Int = 4096) {
            self.maximumHeadBytes = maximumHeadBytes
            self.maximumBodyBytes = maximumBodyBytes
            self.maximumHeaderCount = maximumHeaderCount
            self.maximumChunkLineBytes = maximumChunkLineBytes
        }
    }

    enum Framing { case none, length(Int), chunked }
    struct Head {
        var request: HTTPServerRequest
        var framing: Framing
        var headLength: Int
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var head: Head?
    private var continueSent = false
    /// Where the search for the end of the head resumes, so a head arriving byte by
    /// byte is scanned once, not once per byte.
    private var headScanOffset = 0
    private var chunked = ChunkedBodyDecoder()

    public init(limits: Limits = Limits()) { self.limits = limits }

    public mutating func append(_ bytes: ArraySlice<UInt8>) { buffer.append(contentsOf: bytes) }

    /// True when a parsed head asked for "Expect: 100-continue" and its body has not
    /// arrived yet; the caller sends "100 Continue" once and calls `markContinueSent`.
    public var wantsContinue: Bool {
        guard let head, !continueSent else { return false }
        return head.request.header("Expect")?.lowercased() == "100-continue"
    }

    public mutating func markContinueSent() { continueSent = true }

    /// Whether bytes of an unfinished request are buffered (for idle-close decisions).
    public var hasPartialRequest: Bool { !buffer.isEmpty || head != nil }

    /// Bytes buffered and not yet consumed by a request.
    public var bufferedByteCount: Int { buffer.count }

    /// The next complete request, or `nil` if more bytes are needed.
    public mutating func next() throws -> HTTPServerRequest? {
        if head == nil {
            guard let parsed = try parseHead() else { return nil }
            head = parsed
        }
        guard let current = head else { return nil }
        let bodyStart = current.headLength
        var request = current.request
        let consumed: Int
        switch current.framing {
        case .none:
            consumed = bodyStart
        case .length(let length):
            guard buffer.count - bodyStart >= length else { return nil }
            request.body = Array(buffer[bodyStart..<(bodyStart + length)])
            consumed = bodyStart + length
        case .chunked:
            guard let end = try chunked.decode(buffer, from: bodyStart, limits: limits) else { return nil }
            request.body = chunked.body
            consumed = end
        }
        buffer.removeFirst(consumed)
        head = nil
        continueSent = false
        headScanOffset = 0
        chunked = ChunkedBodyDecoder()
        return request
    }

    /// The length of the head including its empty line, once it has arrived. Lines end
    /// in LF with an optional CR before it, as Go's net/http reads them.
    private mutating func findHeadEnd() -> Int? {
        var index = headScanOffset
        while index < buffer.count {
            if buffer[index] == 10 {
                guard index + 1 < buffer.count else { break }
                if buffer[index + 1] == 10 { return index + 2 }
                if buffer[index + 1] == 13 {
                    guard index + 2 < buffer.count else { break }
                    if buffer[index + 2] == 10 { return index + 3 }
                }
            }
            index += 1
        }
        headScanOffset = index
        return nil
    }

    private mutating func parseHead() throws -> Head? {
        if headScanOffset == 0 { skipLeadingEmptyLines() }
        guard let length = findHeadEnd() else {
            if buffer.count > limits.maximumHeadBytes { throw HTTPParseError.headTooLarge }
            return nil
        }
        guard length <= limits.maximumHeadBytes + 4 else { throw HTTPParseError.headTooLarge }
        let request = try HTTPHeadSyntax.parse(buffer[0..<length], maximumHeaderCount: limits.maximumHeaderCount)
        return Head(request: request, framing: try framing(of: request), headLength: length)
    }

    /// RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request line.
    private mutating func skipLeadingEmptyLines() {
        var start = 0
        while start < buffer.count {
            if buffer[start] == 10 { start += 1; continue }
            if buffer[start] == 13, start + 1 < buffer.count, buffer[start + 1] == 10 { start += 2; continue }
            break
        }
        if start > 0 { buffer.removeFirst(start) }
    }

    /// Body framing as Go's net/http decides it (transfer.go, parseTransferEncoding and
    /// fixLength): one Transfer-Encoding, and only "chunked" (else 501); Transfer-Encoding
    /// is ignored on HTTP/1.0; Content-Length values must agree and be plain digits.
    /// Unlike Go, Transfer-Encoding together with Content-Length is refused (400), as
    /// RFC 9112 §6.1 allows, since such a request is a smuggling attempt.
    func framing(of request: HTTPServerRequest) throws -> Framing {
        let encodings = request.headers.filter { $0.name.lowercased() == "transfer-encoding" }.map(\.value)
        let lengths = request.headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        if !encodings.isEmpty, request.version != "HTTP/1.0" {
            guard encodings.count == 1, encodings[0].lowercased() == "chunked" else {
                throw HTTPParseError.unsupportedEncoding
            }
            guard lengths.isEmpty else { throw HTTPParseError.badRequest }
            return .chunked
        }
        guard let text = lengths.first else { return .none }
        guard lengths.allSatisfy({ $0 == text }), !text.isEmpty, text.utf8.count <= 18,
              text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let length = Int(text) else {
            throw HTTPParseError.badRequest
        }
        guard length <= limits.maximumBodyBytes else { throw HTTPParseError.bodyTooLarge }
        return length == 0 ? .none : .length(length)
    }
}
