import Foundation
import Glibc

/// Blocking loopback socket helpers for the integration tests (client side and servers).
enum Sockets {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        static func errno(_ what: String) -> Failure { Failure(description: "\(what): \(String(cString: strerror(Glibc.errno)))") }
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Connects to 127.0.0.1:port; throws with errno's text on refusal.
    static func connect(port: UInt16, receiveTimeout: Double = 15) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure.errno("socket") }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let error = Failure.errno("connect 127.0.0.1:\(port)")
            close(fd)
            throw error
        }
        setTimeout(fd, receiveTimeout)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return fd
    }

    /// Bounds every blocking read so a hung proxy fails the test instead of hanging it.
    static func setTimeout(_ fd: Int32, _ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A listening socket on 127.0.0.1 with a kernel-chosen port.
    static func listen() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure.errno("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && Glibc.listen(fd, 1024) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { let e = Failure.errno("bind/listen"); close(fd); throw e }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// A port nothing listens on right now (bound then released).
    static func freePort() throws -> UInt16 {
        let (fd, port) = try listen()
        close(fd)
        return port
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    enum End: Equatable { case eof, reset, timeout, other(Int32) }

    /// Reads until `count` bytes arrived or the stream ended; returns what came.
    static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var buffer = [UInt8](repeating: 0, count: min(count, 256 * 1024))
        while out.count < count {
            let want = min(buffer.count, count - out.count)
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, want, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            out += buffer[0..<n]
        }
        return out
    }

    /// Reads to the end of the stream, handing each chunk to `body`; returns the byte count
    /// and how the stream ended.
    static func drain(_ fd: Int32, _ body: ([UInt8]) -> Void = { _ in }) -> (Int, End) {
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { total += n; body(Array(buffer[0..<n])); continue }
            if n == 0 { return (total, .eof) }
            switch errno {
            case EINTR: continue
            case ECONNRESET: return (total, .reset)
            case EAGAIN: return (total, .timeout)
            default: return (total, .other(errno))
            }
        }
    }

    /// Open descriptors of this process (tests run server, proxy and clients in one process).
    static func openDescriptorCount() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
    }
}

/// FNV-1a 64 over a stream, fed chunk by chunk.
struct Checksum: Equatable, CustomStringConvertible {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var count = 0

    mutating func add(_ bytes: [UInt8]) {
        var v = value
        bytes.withUnsafeBufferPointer { buffer in
            for b in buffer { v = (v ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        }
        value = v
        count += bytes.count
    }

    static func of(_ bytes: [UInt8]) -> Checksum { var c = Checksum(); c.add(bytes); return c }
    var description: String { "\(count) bytes, fnv \(String(value, radix: 16))" }
}

/// Deterministic pseudo-random payload, so a swapped or repeated chunk changes the checksum.
enum Payload {
    static func make(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                buffer[i] = UInt8(truncatingIfNeeded: state)
            }
        }
        return out
    }
}
