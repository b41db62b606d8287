import ChaosProxy
import Foundation
import Glibc

/// An in-memory `ProxyDataPlane` for API tests: it binds a real listening socket on
/// `start` (so "address already in use" is the kernel's answer), proxies nothing, and
/// records every call. Connections and counters are whatever a test sets.
// @unchecked Sendable: all mutable state is guarded by `lock`.
final class RecordingDataPlane: ProxyDataPlane, @unchecked Sendable {
    enum Call: Equatable {
        case start(name: String, listen: String, upstream: String, toxics: [ToxicSpec])
        case stop(name: String)
        case update(name: String, upstream: String)
        case setToxics(name: String, toxics: [ToxicSpec])
    }

    private let lock = NSLock()
    private var listeners: [String: Int32] = [:]
    private var recorded: [Call] = []
    private var fakeConnections: [String: [ConnectionInfo]] = [:]
    private var fakeCounters: [String: ProxyCounters] = [:]

    var calls: [Call] { lock.lock(); defer { lock.unlock() }; return recorded }
    var running: Set<String> { lock.lock(); defer { lock.unlock() }; return Set(listeners.keys) }

    func clearCalls() { lock.lock(); recorded = []; lock.unlock() }
    func setConnections(_ connections: [ConnectionInfo], for proxy: String) {
        lock.lock(); fakeConnections[proxy] = connections; lock.unlock()
    }
    func setCounters(_ counters: ProxyCounters, for proxy: String) {
        lock.lock(); fakeCounters[proxy] = counters; lock.unlock()
    }
    /// The toxics most recently handed over for `proxy` (by start or setToxics).
    func currentToxics(_ proxy: String) -> [ToxicSpec]? {
        for call in calls.reversed() {
            switch call {
            case .start(proxy, _, _, let toxics), .setToxics(proxy, let toxics): return toxics
            default: continue
            }
        }
        return nil
    }

    func start(proxy name: String, listen: String, upstream: String, toxics: [ToxicSpec]) throws -> String {
        let (fd, bound) = try Self.bindListener(listen)
        lock.lock()
        defer { lock.unlock() }
        if let old = listeners[name] { close(old) }
        listeners[name] = fd
        recorded.append(.start(name: name, listen: listen, upstream: upstream, toxics: toxics))
        return bound
    }

    func stop(proxy name: String) {
        lock.lock()
        defer { lock.unlock() }
        if let fd = listeners.removeValue(forKey: name) { close(fd) }
        recorded.append(.stop(name: name))
    }

    func update(proxy name: String, upstream: String) throws {
        lock.lock(); recorded.append(.update(name: name, upstream: upstream)); lock.unlock()
    }

    func setToxics(proxy name: String, toxics: [ToxicSpec]) {
        lock.lock(); recorded.append(.setToxics(name: name, toxics: toxics)); lock.unlock()
    }

    func connections(proxy name: String) -> [ConnectionInfo] {
        lock.lock(); defer { lock.unlock() }; return fakeConnections[name] ?? []
    }

    func counters(proxy name: String) -> ProxyCounters {
        lock.lock(); defer { lock.unlock() }; return fakeCounters[name] ?? ProxyCounters()
    }

    func stopAll() {
        lock.lock()
        for fd in listeners.values { close(fd) }
        listeners = [:]
        lock.unlock()
    }

    /// Resolves and binds "host:port" (IPv4 first), returning the socket and "ip:port".
    static func bindListener(_ listen: String) throws -> (Int32, String) {
        guard let colon = listen.lastIndex(of: ":") else { throw POSIXError(.EINVAL) }
        var host = String(listen[..<colon])
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        let port = String(listen[listen.index(after: colon)...])
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host.isEmpty ? nil : host, port.isEmpty ? "0" : port, &hints, &result) == 0,
              let info = result else { throw POSIXError(.EADDRNOTAVAIL) }
        defer { freeaddrinfo(result) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, Glibc.listen(fd, 16) == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        var text = [CChar](repeating: 0, count: 64)
        inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count))
        return (fd, "\(String(cString: text)):\(UInt16(bigEndian: address.sin_port))")
    }
}
