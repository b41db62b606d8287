import ChaosCore
import CChaosLinux
import Foundation
import Glibc
import Synchronization

/// The epoll data plane: `loops` threads, each with its own epoll set, serving any number
/// of proxies.
///
/// Threads: every API call runs on the caller's thread and only takes short locks or
/// queues commands for the loops (woken through an eventfd); `start` binds the listener
/// itself so it can return the address or a clear error. `stop` and `setToxics` wait until
/// every loop ran their command (microseconds in practice, at most `LoopBarrier.timeout`),
/// so when they return the port is free, the connections are closed, or every live
/// connection forwards its next bytes through the new toxics.
///
/// Placement: a proxy's listener lives on one loop (proxies are spread round-robin); each
/// accepted connection goes to the next loop round-robin. One listener per proxy rather
/// than SO_REUSEPORT listeners per loop, because with SO_REUSEPORT a second process on the
/// same port would bind silently instead of failing with "address in use", and a port-0
/// listener could not be shared without binding twice.
///
/// Process-wide effect: SIGPIPE is ignored (a splice into a reset socket would raise it).
// @unchecked Sendable: the proxy tables are guarded by `lock`, the counters are atomics, each loop owns its thread.
public final class EpollProxyEngine: ProxyDataPlane, @unchecked Sendable {
    private struct Entry {
        let runtime: ProxyRuntime
        let listener: ProxyListener
        let loop: EventLoop
    }

    let loops: [EventLoop]
    private let seed: UInt64
    private let lock = NSLock()
    private var proxies: [String: Entry] = [:]
    private var countersByName: [String: ProxyCounterSet] = [:]
    private var isShutDown = false
    private let nextListenerLoop = Atomic<Int>(0)
    private let nextConnectionId = Atomic<UInt64>(0)

    /// - Parameters:
    ///   - loops: event-loop threads (default: one per core).
    ///   - seed: seeds every random draw (toxicity, jitter, slicer sizes) so a run can be
    ///     replayed; each connection's draws depend only on the seed and its sequence number.
    ///   - timerSpin: whether a loop polls instead of sleeping just before a toxic's
    ///     deadline, trading CPU for timer precision (see `TimerSpin`).
    ///   - timerUnderstudy: give each loop a second thread that fires a toxic deadline the
    ///     loop's own thread missed (see `TimerUnderstudy`); ignored when the process may
    ///     run on one CPU only.
    public init(loops: Int = ProcessInfo.processInfo.activeProcessorCount, seed: UInt64? = nil,
                timerSpin: TimerSpin = .automatic, timerUnderstudy: Bool = true) {
        signal(SIGPIPE, SIG_IGN)
        var system = SystemRandomNumberGenerator()
        self.seed = seed ?? system.next()
        self.loops = (0..<max(1, loops)).map {
            EventLoop(index: $0, timerSpin: timerSpin, understudy: timerUnderstudy)
        }
        for loop in self.loops { loop.start() }
    }

    deinit { shutdown() }

    /// Stop every proxy and end the loop threads. The engine cannot be used afterwards.
    public func shutdown() {
        lock.lock()
        if isShutDown {
            lock.unlock()
            return
        }
        isShutDown = true
        let names = Array(proxies.keys)
        lock.unlock()
        for name in names { stop(proxy: name) }
        for loop in loops { loop.stopAndJoin() }
    }

    // MARK: ProxyDataPlane

    /// Binds the listener now (port 0 picks one) and returns the bound "host:port". Throws
    /// `ChaosError` `.conflict` whose text contains "address already in use" (and names the
    /// address) when the port is taken, `.usage` for a malformed listen address. The
    /// upstream is not required to resolve: see `update(proxy:upstream:)`.
    public func start(proxy name: String, listen: String, upstream: String, toxics: [ToxicSpec]) throws -> String {
        let listenAddress = try SocketAddress(parsing: listen, field: "proxy \(name): listen")
        let upstreamTarget = UpstreamTarget(upstream)
        lock.lock()
        defer { lock.unlock() }
        guard !isShutDown else { throw ChaosError("proxy \(name): the data plane is shut down") }
        guard proxies[name] == nil else {
            throw ChaosError("proxy \(name) is already started", exitCode: .conflict)
        }
        let fd = try bindListener(listenAddress, name: name, text: listen)
        let bound = SocketAddress.local(of: fd)?.description ?? listen
        let counters = countersByName[name] ?? ProxyCounterSet()
        countersByName[name] = counters
        let runtime = ProxyRuntime(name: name, listenAddress: bound, upstream: upstreamTarget,
                                   toxics: toxics, counters: counters)
        let loop = loops[nextListenerLoop.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
        let listener = ProxyListener(fd: fd, runtime: runtime, loop: loop) { [unowned self] client, peer, runtime, from, now in
            self.dispatch(client: client, peer: peer, runtime: runtime, from: from, now: now)
        }
        proxies[name] = Entry(runtime: runtime, listener: listener, loop: loop)
        loop.execute { listener.activate() }
        return bound
    }

    public func stop(proxy name: String) {
        lock.lock()
        let entry = proxies.removeValue(forKey: name)
        lock.unlock()
        guard let entry else { return }
        // Set first: a connection whose hand-off is still queued is dropped by `adopt`.
        entry.runtime.stopped.store(true, ordering: .sequentiallyConsistent)
        let key = ObjectIdentifier(entry.runtime)
        // Waited for, so the port can be reused at once and no connection outlives the call.
        LoopBarrier.run(on: loops) { loop in
            if loop === entry.loop { entry.listener.close() }
            for connection in loop.connections[key]?.values.map({ $0 }) ?? [] { connection.abort(reset: false) }
            loop.connections[key] = nil
        }
    }

    /// An upstream that does not resolve (not numeric, not `localhost`) is accepted, as by
    /// Toxiproxy; its connections are closed at once. Throws only for an unknown proxy.
    public func update(proxy name: String, upstream: String) throws {
        let target = UpstreamTarget(upstream)
        lock.lock()
        let entry = proxies[name]
        lock.unlock()
        guard let entry else { throw ChaosError("no started proxy named \(name)", exitCode: .notFound) }
        entry.runtime.upstream = target
    }

    public func setToxics(proxy name: String, toxics: [ToxicSpec]) {
        lock.lock()
        let entry = proxies[name]
        lock.unlock()
        guard let entry else { return }
        entry.runtime.setToxics(toxics)
        let key = ObjectIdentifier(entry.runtime)
        // Wait until every loop rebuilt its connections' chains: bytes sent after the API
        // answered must meet the new toxics, as in Toxiproxy, whose chainAddToxic,
        // chainUpdateToxic and chainRemoveToxic (toxic_collection.go) wait for every link's
        // AddToxic/UpdateToxic/RemoveToxic (link.go) before the API responds. A connection
        // whose hand-off is still queued reads the new toxics when it begins.
        LoopBarrier.run(on: loops) { loop in
            let now = EventLoop.now()
            for connection in loop.connections[key]?.values.map({ $0 }) ?? [] { connection.toxicsChanged(now: now) }
        }
    }

    public func connections(proxy name: String) -> [ConnectionInfo] {
        lock.lock()
        let entry = proxies[name]
        lock.unlock()
        let now = EventLoop.now()
        return (entry?.runtime.records ?? []).map { $0.info(now: now) }.sorted { $0.id < $1.id }
    }

    public var understudyTakeovers: UInt64 { loops.reduce(0) { $0 + $1.understudyTakeovers } }

    public func counters(proxy name: String) -> ProxyCounters {
        lock.lock()
        let counters = countersByName[name]
        lock.unlock()
        return counters?.snapshot() ?? ProxyCounters()
    }

    /// The address a started proxy listens on ("host:port"), nil if not started.
    public func listenAddress(proxy name: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return proxies[name]?.runtime.listenAddress
    }

    // MARK: internals

    private func bindListener(_ address: SocketAddress, name: String, text: String) throws -> Int32 {
        let fd = SocketOps.tcpSocket(family: address.family)
        guard fd >= 0 else {
            throw ChaosError("proxy \(name): cannot create a socket for \(text): \(String(cString: strerror(errno)))")
        }
        // SO_REUSEADDR only lets us rebind over TIME_WAIT; a live listener still conflicts.
        SocketOps.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        // Accepted sockets inherit TCP_NODELAY from the listener: one setsockopt less each.
        SocketOps.setNoDelay(fd)
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        if bound != 0 {
            let code = errno
            close(fd)
            if code == EADDRINUSE {
                throw ChaosError("proxy \(name): cannot listen on \(address): address already in use", exitCode: .conflict)
            }
            throw ChaosError("proxy \(name): cannot listen on \(address): \(String(cString: strerror(code)))",
                             exitCode: code == EACCES ? .permission : .failure)
        }
        guard Glibc.listen(fd, 1024) == 0 else {
            let code = errno
            close(fd)
            throw ChaosError("proxy \(name): listen on \(address) failed: \(String(cString: strerror(code)))")
        }
        return fd
    }

    /// A connection was accepted on `from` (its thread): apply the new-connection toxics,
    /// then hand it to the next loop.
    private func dispatch(client: Int32, peer: SocketAddress?, runtime: ProxyRuntime, from: EventLoop, now: Nanos) {
        let counters = runtime.counters
        let ordinal = counters.accepted.wrappingAdd(1, ordering: .relaxed).newValue
        let id = nextConnectionId.wrappingAdd(1, ordering: .relaxed).newValue
        var random = SeededRandom(seed: seed ^ (id &* 0x9E37_79B9_7F4A_7C15))
        for spec in runtime.toxics.specs {
            let resets: Bool
            switch spec.kind {
            case .refuseConnections: resets = false
            case .resetConnections: resets = true
            default: continue
            }
            var own = spec.ownRandom(connection: ordinal)
            let hit = own != nil ? spec.hits(drawing: &own!) : spec.hits(drawing: &random)
            guard hit else { continue }
            counters.refused.wrappingAdd(1, ordering: .relaxed)
            counters.countToxicApplied(spec.name)
            if resets { SocketOps.closeWithReset(client) } else { close(client) }
            return
        }
        // The accepting loop keeps the connection unless another loop serves fewer: a
        // burst still spreads evenly, and steady churn mostly avoids the cross-thread
        // hand-off (a queued command and, often, an eventfd wake-up).
        var target = from
        var fewest = from.assignedConnections.load(ordering: .relaxed)
        for loop in loops where loop !== from {
            let load = loop.assignedConnections.load(ordering: .relaxed)
            if load < fewest {
                target = loop
                fewest = load
            }
        }
        target.assignedConnections.wrappingAdd(1, ordering: .relaxed)
        if target === from {
            Self.adopt(client: client, peer: peer, id: id, ordinal: ordinal, runtime: runtime, loop: target, random: random,
                       acceptedAt: now)
        } else {
            // Static, so a queued command never keeps the engine alive on a loop thread.
            target.execute {
                Self.adopt(client: client, peer: peer, id: id, ordinal: ordinal, runtime: runtime, loop: target, random: random,
                           acceptedAt: now)
            }
        }
    }

    /// Dial upstream and start serving the connection (on `loop`'s thread).
    private static func adopt(client: Int32, peer: SocketAddress?, id: UInt64, ordinal: UInt64, runtime: ProxyRuntime, loop: EventLoop,
                              random: SeededRandom, acceptedAt: Nanos) {
        /// The connection never starts: close what was opened and give the loop its slot back.
        func drop(_ descriptors: Int32...) {
            loop.assignedConnections.wrappingSubtract(1, ordering: .relaxed)
            for fd in descriptors { close(fd) }
        }
        guard !runtime.stopped.load(ordering: .sequentiallyConsistent) else { return drop(client) }
        guard case .resolved(let upstream) = runtime.upstream else { return drop(client) }  // like a failed dial
        let server = SocketOps.tcpSocket(family: upstream.family)
        guard server >= 0 else {
            runtime.counters.refused.wrappingAdd(1, ordering: .relaxed)
            return drop(client)
        }
        SocketOps.setNoDelay(server)
        let rc = upstream.withSockaddr { connect(server, $0, $1) }
        if rc != 0 && errno != EINPROGRESS { return drop(server, client) }
        let record = ConnectionRecord(id: id, client: peer, upstream: upstream, acceptedAt: acceptedAt)
        let connection = ProxyConnection(id: id, runtime: runtime, loop: loop, clientFd: client, serverFd: server,
                                         record: record, random: random, ordinal: ordinal)
        runtime.add(record)
        runtime.counters.active.wrappingAdd(1, ordering: .relaxed)
        loop.connections[ObjectIdentifier(runtime), default: [:]][id] = connection
        if !connection.begin(now: EventLoop.now()) { connection.abort(reset: false) }
    }
}
