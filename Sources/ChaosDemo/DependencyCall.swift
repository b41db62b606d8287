import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One request/response to the demo's TCP "database": connect, send "ping\n", read one line,
/// all within a deadline, so a latency or timeout toxic in front of it shows up as a slow or
/// failed service call.
enum DependencyCall {
    struct Failure: Error { var message: String }

    static func ping(host: String, port: UInt16, timeout: Double) -> Result<String, Failure> {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(Failure(message: "socket: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return .failure(Failure(message: "connect: \(String(cString: strerror(errno)))")) }
        let request = Array("ping\n".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else {
            return .failure(Failure(message: "send: \(String(cString: strerror(errno)))"))
        }
        var reply = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 256)
        let deadline = Date().addingTimeInterval(timeout)
        while !reply.contains(10) {
            guard Date() < deadline else { return .failure(Failure(message: "timed out")) }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return .failure(Failure(message: "connection closed before a reply")) }
            if n < 0 {
                if errno == EINTR { continue }
                let text = (errno == EAGAIN || errno == EWOULDBLOCK) ? "timed out" : String(cString: strerror(errno))
                return .failure(Failure(message: text))
            }
            reply += buffer[0..<n]
        }
        return .success(String(decoding: reply.prefix { $0 != 10 }, as: UTF8.self))
    }
}
