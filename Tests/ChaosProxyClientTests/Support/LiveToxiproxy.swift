import ChaosProxy
import ChaosProxyAPI
import ChaosProxyClient

/// chaosctl's real Toxiproxy server on a kernel-chosen 127.0.0.1 port, over the real epoll
/// data plane, and a client for it: the client is tested against the server it ships with.
final class LiveToxiproxy {
    let engine = EpollProxyEngine(loops: 1, seed: 7)
    let server: ToxiproxyServer
    let client: ToxiproxyClient

    var api: String { "http://127.0.0.1:\(server.port)" }

    init(token: String? = nil) throws {
        server = ToxiproxyServer(dataPlane: engine, host: "127.0.0.1", port: 0, token: token)
        try server.start()
        client = try ToxiproxyClient(baseURL: "http://127.0.0.1:\(server.port)", token: token, timeoutSeconds: 5)
    }

    private var stopped = false

    func stop() {
        guard !stopped else { return }
        stopped = true
        server.stop()
        engine.shutdown()
    }

    deinit { stop() }
}
