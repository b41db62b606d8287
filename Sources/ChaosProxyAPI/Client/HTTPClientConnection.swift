import ChaosHTTPServer
import Foundation
import Glibc

/// A response read by `HTTPClientConnection`.
public struct HTTPClientResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Transport failures of the tiny client (the server could not be reached or answered garbage).
public struct HTTPClientError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// One HTTP/1.1 exchange per TCP connection ("Connection: close"), on plain sockets:
/// enough for a control API, and independent of libcurl/URLSession.
public struct HTTPClientConnection: Sendable {
    public var host: String
    public var port: UInt16
    public var timeoutSeconds: Int
    /// Responses larger than this are refused.
    public var maximumResponseBytes = 16 * 1024 * 1024

    public init(host: String, port: UInt16, timeoutSeconds: Int = 10) {
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(method: String, path: String, headers: [(String, String)] = [],
                     body: [UInt8]? = nil) throws -> HTTPClientResponse {
        let fd = try connectSocket()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try writeAll(fd, Array(head.utf8) + (body ?? []))
        return try Self.parseResponse(try readToEnd(fd), isHead: method == "HEAD")
    }

    private var hostHeader: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    private func connectSocket() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, result != nil else {
            throw HTTPClientError(message: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        var lastError: Int32 = 0
        var candidate = result
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = errno; continue }
            // On Linux SO_SNDTIMEO also bounds connect().
            var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            lastError = errno
            close(fd)
        }
        throw HTTPClientError(message: "cannot connect to \(hostHeader): \(String(cString: strerror(lastError)))")
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw HTTPClientError(message: "sending to \(hostHeader): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    private func readToEnd(_ fd: Int32) throws -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                throw HTTPClientError(message: "reading from \(hostHeader): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return data }
            data += chunk[0..<count]
            if data.count > maximumResponseBytes {
                throw HTTPClientError(message: "response from \(hostHeader) larger than \(maximumResponseBytes) bytes")
            }
        }
    }

    /// Parses a complete response read up to connection close, skipping 1xx interim
    /// responses and decoding a chunked body.
    static func parseResponse(_ raw: [UInt8], isHead: Bool) throws -> HTTPClientResponse {
        var rest = raw[...]
        while true {
            guard let headEnd = findCRLFCRLF(rest) else { throw HTTPClientError(message: "truncated HTTP response") }
            let headText = String(decoding: rest[rest.startIndex..<headEnd], as: UTF8.self)
            let lines = headText.crlfLines
            let statusParts = lines[0].split(separator: " ", maxSplits: 2)
            guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
                throw HTTPClientError(message: "malformed status line: \(lines[0])")
            }
            var headers: [(name: String, value: String)] = []
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmedOWS))
            }
            rest = rest[(headEnd + 4)...]
            if (100..<200).contains(status) { continue }
            var response = HTTPClientResponse(status: status, headers: headers, body: [])
            if isHead || status == 204 || status == 304 { return response }
            if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
                response.body = try decodeChunked(rest)
            } else if let lengthText = response.header("Content-Length"), let length = Int(lengthText) {
                guard rest.count >= length else { throw HTTPClientError(message: "truncated HTTP body") }
                response.body = Array(rest.prefix(length))
            } else {
                response.body = Array(rest)
            }
            return response
        }
    }

    private static func findCRLFCRLF(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 { return index }
            index += 1
        }
        return nil
    }

    private static func decodeChunked(_ bytes: ArraySlice<UInt8>) throws -> [UInt8] {
        var body: [UInt8] = []
        var rest = bytes
        while true {
            guard let lineEnd = rest.firstIndex(of: 13), lineEnd + 1 < rest.endIndex else {
                throw HTTPClientError(message: "truncated chunked body")
            }
            let sizeText = String(decoding: rest[rest.startIndex..<lineEnd], as: UTF8.self)
                .split(separator: ";").first.map { $0.trimmedOWS } ?? ""
            guard let size = Int(sizeText, radix: 16) else { throw HTTPClientError(message: "bad chunk size") }
            rest = rest[(lineEnd + 2)...]
            if size == 0 { return body }
            guard rest.count >= size else { throw HTTPClientError(message: "truncated chunked body") }
            body += rest.prefix(size)
            rest = rest.dropFirst(size + 2)
        }
    }
}
