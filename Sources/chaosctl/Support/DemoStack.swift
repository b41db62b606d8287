import ChaosDemo
import ChaosProxy
import ChaosProxyAPI
import ChaosProxyClient
import Foundation

/// The demo's moving parts, all in this process on loopback: a TCP "database", chaosctl's
/// proxy in front of it (Toxiproxy API on a free port), and the demo service calling the
/// database through the proxy while reading the control file.
final class DemoStack {
    let database = DemoDatabase()
    let engine: EpollProxyEngine
    let proxyServer: ToxiproxyServer
    let service: DemoService
    let serviceURL: String
    let apiURL: String
    static let proxyName = "demo-db"

    init(controlPath: String, servicePort: UInt16 = 0, apiPort: UInt16 = 0, seed: UInt64?) throws {
        let dbPort = try database.start()
        engine = EpollProxyEngine(loops: 1, seed: seed)
        proxyServer = ToxiproxyServer(dataPlane: engine, port: apiPort, config: [
            ProxyDefinition(name: Self.proxyName, upstream: "127.0.0.1:\(dbPort)"),
        ])
        try proxyServer.start()
        apiURL = "http://127.0.0.1:\(proxyServer.port)"
        let listen = try ToxiproxyClient(baseURL: apiURL).proxy(Self.proxyName).listen
        guard let colon = listen.lastIndex(of: ":"), let proxyPort = UInt16(listen[listen.index(after: colon)...]) else {
            throw DemoError("the demo proxy reported an unexpected listen address \(listen)")
        }
        service = DemoService(controlPath: controlPath, dependency: ("127.0.0.1", proxyPort), seed: seed)
        let port = try service.start(port: servicePort)
        serviceURL = "http://127.0.0.1:\(port)"
    }

    func stop() {
        service.stop()
        proxyServer.stop()
        engine.shutdown()
        database.stop()
    }
}

struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
