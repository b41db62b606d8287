import Foundation
import Glibc
import XCTest

/// A raw response as read off the socket, for byte comparisons with the transcript.
struct RawResponse {
    var statusLine: String
    var headers: [(name: String, value: String)]
    var body: String

    var status: Int { Int(statusLine.split(separator: " ")[1]) ?? 0 }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The response as the transcript writes it: status line, headers without Date and
    /// with the request id replaced by "*", an empty line, the body.
    var normalized: String {
        var lines = [statusLine]
        for header in headers where header.name != "Date" {
            lines.append("\(header.name): \(header.name == "X-Toxiproxy-Request-Id" ? "*" : header.value)")
        }
        return lines.joined(separator: "\n") + "\n\n" + body
    }
}

/// Plain-socket HTTP exchanges with the server under test.
enum RawHTTP {
    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
        return fd
    }

    static func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Builds a request like curl's: Host, User-Agent curl/7.88.1, Accept, and for a body
    /// curl's default form Content-Type.
    static func request(_ method: String, _ path: String, body: String? = nil,
                        headers: [(String, String)] = [], keepAlive: Bool = true) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        var extra = headers
        if !extra.contains(where: { $0.0 == "User-Agent" }) { extra.insert(("User-Agent", "curl/7.88.1"), at: 0) }
        if body != nil, !extra.contains(where: { $0.0 == "Content-Type" }) {
            extra.append(("Content-Type", "application/x-www-form-urlencoded"))
        }
        text += "Accept: */*\r\n"
        for (name, value) in extra { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        if !keepAlive { text += "Connection: close\r\n" }
        return text + "\r\n" + (body ?? "")
    }

    /// Reads exactly one response from `fd` (framed by Content-Length; none for 204,
    /// HEAD and 1xx), leaving any following bytes in `pending`.
    static func readResponse(_ fd: Int32, pending: inout [UInt8], head: Bool = false) throws -> RawResponse {
        func fill() throws {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw POSIXError(.ECONNRESET) }
            pending += chunk[0..<count]
        }
        while true {
            var headEnd: Int?
            while headEnd == nil {
                if pending.count >= 4 {
                    for index in 0...(pending.count - 4)
                    where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
                        headEnd = index
                        break
                    }
                }
                if headEnd == nil { try fill() }
            }
            let headText = String(decoding: pending[0..<headEnd!], as: UTF8.self)
            var lines = headText.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst()
            let headers = lines.map { line -> (name: String, value: String) in
                let colon = line.firstIndex(of: ":")!
                return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            }
            pending.removeFirst(headEnd! + 4)
            var response = RawResponse(statusLine: statusLine, headers: headers, body: "")
            if response.status == 100 { continue }
            let length = head ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
            while pending.count < length { try fill() }
            response.body = String(decoding: pending[0..<length], as: UTF8.self)
            pending.removeFirst(length)
            return response
        }
    }

    /// One request on its own connection.
    static func exchange(port: UInt16, _ request: String, head: Bool = false) throws -> RawResponse {
        let fd = try connect(port: port)
        defer { close(fd) }
        write(fd, request)
        var pending: [UInt8] = []
        return try readResponse(fd, pending: &pending, head: head)
    }
}
