import ChaosProxy

/// The real epoll data plane, with every listener moved to 127.0.0.1 on a port the kernel
/// picks: whatever address a fuzzed request names, the fuzzer never binds a port another
/// process (or another engineer's test) expects, and never listens beyond loopback. No
/// client connects, so no upstream is ever dialled.
// @unchecked Sendable: its one stored property is the engine, which is itself thread-safe.
final class LoopbackDataPlane: ProxyDataPlane, @unchecked Sendable {
    private let engine: EpollProxyEngine

    init(engine: EpollProxyEngine) { self.engine = engine }

    func start(proxy name: String, listen: String, upstream: String, toxics: [ToxicSpec]) throws -> String {
        try engine.start(proxy: name, listen: "127.0.0.1:0", upstream: upstream, toxics: toxics)
    }

    func stop(proxy name: String) { engine.stop(proxy: name) }
    func update(proxy name: String, upstream: String) throws { try engine.update(proxy: name, upstream: upstream) }
    func setToxics(proxy name: String, toxics: [ToxicSpec]) { engine.setToxics(proxy: name, toxics: toxics) }
    func connections(proxy name: String) -> [ConnectionInfo] { engine.connections(proxy: name) }
    func counters(proxy name: String) -> ProxyCounters { engine.counters(proxy: name) }
    var understudyTakeovers: UInt64 { engine.understudyTakeovers }
}
