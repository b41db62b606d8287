import Foundation
import ChaosProbe
#if canImport(Glibc)
import Glibc
#endif

/// Test-only implementation of ``HTTPProbeTransport``: a minimal HTTP/1.1 client over a plain
/// TCP socket (http:// to an IPv4 literal only, `Connection: close`, body read to EOF).
/// It exists so HTTP probe logic can be tested against a real local server before the
/// libcurl client (ChaosHTTP) is bound to the seam; it is not a general HTTP client.
struct SocketHTTPTransport: HTTPProbeTransport {
    func perform(_ request: ProbeHTTPRequest, timeout: Double) throws -> ProbeHTTPResponse {
        let started = Date()
        guard let url = URL(string: request.url), url.scheme == "http", let host = url.host, let port = url.port else {
            throw TestError("test transport needs http://IPv4:port/..., got \(request.url)")
        }
        var target = url.path.isEmpty ? "/" : url.path
        if let query = url.query(percentEncoded: true) { target += "?" + query }

        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket failed") }
        defer { close(fd) }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr(host)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestError("connect: \(String(cString: strerror(errno)))") }

        var head = "\(request.method) \(target) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for header in request.headers { head += "\(header.name): \(header.value)\r\n" }
        if let body = request.body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let outgoing = Data(head.utf8) + (request.body ?? Data())
        try outgoing.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw TestError("send: \(String(cString: strerror(errno)))") }
                offset += n
            }
        }
        var incoming = Data()
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { break }
            guard n > 0 else { throw TestError(errno == EAGAIN ? "timed out" : "recv: \(String(cString: strerror(errno)))") }
            incoming.append(contentsOf: buffer[0..<n])
        }
        return try parse(incoming, elapsed: Date().timeIntervalSince(started))
    }

    private func parse(_ data: Data, elapsed: Double) throws -> ProbeHTTPResponse {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else { throw TestError("no header end") }
        let lines = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestError("bad status line \(lines[0])") }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return ProbeHTTPResponse(status: status, headers: headers, body: Data(data[split.upperBound...]), elapsed: elapsed)
    }
}
