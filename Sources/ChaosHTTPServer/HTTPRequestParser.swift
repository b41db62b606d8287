/// Why a request could not be parsed, with the status to answer before closing.
public struct HTTPParseError: Error, Equatable {
    public var status: Int
    public var reason: String
}

/// Incremental HTTP/1.1 request parser for one connection. Bytes are appended as they
/// arrive; `next()` yields complete requests in order, so pipelined requests are
/// answered one by one. Head and body sizes are bounded.
public struct HTTPRequestParser {
    public struct Limits: Sendable {
        public var maximumHeadBytes: Int
        public var maximumBodyBytes: Int
        public var maximumHeaderCount: Int
        public init(maximumHeadBytes: Int = 64 * 1024, maximumBodyBytes: Int = 8 * 1024 * 1024,
                    maximumHeaderCount: Int = 100) {
            self.maximumHeadBytes = maximumHeadBytes
            self.maximumBodyBytes = maximumBodyBytes
            self.maximumHeaderCount = maximumHeaderCount
        }
    }

    private enum Framing { case none, length(Int), chunked }
    private struct Head {
        var request: HTTPRequest
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
    /// Chunked body decoded so far and where the next chunk starts in `buffer`, so a
    /// large body arriving in pieces is decoded once.
    private var chunkedBody: [UInt8] = []
    private var chunkedOffset: Int?

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

    /// The next complete request, or `nil` if more bytes are needed.
    public mutating func next() throws -> HTTPRequest? {
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
            guard let end = try decodeChunked(from: chunkedOffset ?? bodyStart) else { return nil }
            request.body = chunkedBody
            consumed = end
        }
        buffer.removeFirst(consumed)
        head = nil
        continueSent = false
        headScanOffset = 0
        chunkedBody = []
        chunkedOffset = nil
        return request
    }

    private mutating func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        var index = headScanOffset
        while index + 3 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10, buffer[index + 2] == 13, buffer[index + 3] == 10 {
                return index
            }
            index += 1
        }
        headScanOffset = max(0, buffer.count - 3)
        return nil
    }

    private mutating func parseHead() throws -> Head? {
        // Tolerate blank lines between pipelined requests, as RFC 9112 §2.2 suggests.
        while headScanOffset == 0, buffer.count >= 2, buffer[0] == 13, buffer[1] == 10 { buffer.removeFirst(2) }
        guard let end = findHeadEnd() else {
            if buffer.count > limits.maximumHeadBytes {
                throw HTTPParseError(status: 431, reason: "Request Header Fields Too Large")
            }
            return nil
        }
        guard end <= limits.maximumHeadBytes else {
            throw HTTPParseError(status: 431, reason: "Request Header Fields Too Large")
        }
        let text = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = text.crlfLines
        let requestLine = lines.removeFirst()
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].hasPrefix("/") || parts[1] == "*" || parts[1].hasPrefix("http://"),
              parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0",
              parts[0].allSatisfy({ $0.isLetter && $0.isASCII }) else {
            throw HTTPParseError(status: 400, reason: "Bad Request")
        }
        guard lines.count <= limits.maximumHeaderCount else {
            throw HTTPParseError(status: 431, reason: "Request Header Fields Too Large")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(" "), !line[..<colon].contains("\t") else {
                throw HTTPParseError(status: 400, reason: "Bad Request")
            }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmedOWS))
        }
        let request = HTTPRequest(method: String(parts[0]), target: String(parts[1]),
                                  version: String(parts[2]), headers: headers)
        return Head(request: request, framing: try framing(of: request), headLength: end + 4)
    }

    private func framing(of request: HTTPRequest) throws -> Framing {
        let lowered = request.headers.map { ($0.name.lowercased(), $0.value) }
        if let encoding = lowered.last(where: { $0.0 == "transfer-encoding" })?.1 {
            guard encoding.lowercased().split(separator: ",").last?.trimmedOWS == "chunked" else {
                throw HTTPParseError(status: 501, reason: "Not Implemented")
            }
            return .chunked
        }
        let lengths = Set(lowered.filter { $0.0 == "content-length" }.map(\.1))
        guard let text = lengths.first else { return .none }
        guard lengths.count == 1, !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let length = Int(text) else {
            throw HTTPParseError(status: 400, reason: "Bad Request")
        }
        guard length <= limits.maximumBodyBytes else {
            throw HTTPParseError(status: 413, reason: "Request Entity Too Large")
        }
        return length == 0 ? .none : .length(length)
    }

    /// Decodes complete chunks from `start` into `chunkedBody`; returns the end of the
    /// body (after the trailers) once the last chunk has arrived, else `nil`.
    private mutating func decodeChunked(from start: Int) throws -> Int? {
        var index = start
        while true {
            chunkedOffset = index
            guard let lineEnd = crlf(from: index) else {
                if buffer.count - index > 1024 { throw HTTPParseError(status: 400, reason: "Bad Request") }
                return nil
            }
            let line = String(decoding: buffer[index..<lineEnd], as: UTF8.self)
            let sizeText = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmedOWS
            guard !sizeText.isEmpty, sizeText.count <= 8, let size = Int(sizeText, radix: 16) else {
                throw HTTPParseError(status: 400, reason: "Bad Request")
            }
            var cursor = lineEnd + 2
            if size == 0 {
                // Trailer fields until an empty line; their content is ignored.
                while true {
                    guard let trailerEnd = crlf(from: cursor) else {
                        if buffer.count - cursor > limits.maximumHeadBytes {
                            throw HTTPParseError(status: 431, reason: "Request Header Fields Too Large")
                        }
                        return nil
                    }
                    let empty = trailerEnd == cursor
                    cursor = trailerEnd + 2
                    if empty { return cursor }
                }
            }
            guard chunkedBody.count + size <= limits.maximumBodyBytes else {
                throw HTTPParseError(status: 413, reason: "Request Entity Too Large")
            }
            guard buffer.count >= cursor + size + 2 else { return nil }
            guard buffer[cursor + size] == 13, buffer[cursor + size + 1] == 10 else {
                throw HTTPParseError(status: 400, reason: "Bad Request")
            }
            chunkedBody.append(contentsOf: buffer[cursor..<(cursor + size)])
            index = cursor + size + 2
        }
    }

    private func crlf(from start: Int) -> Int? {
        var index = start
        while index + 1 < buffer.count {
            if buffer[index] == 13, buffer[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}
