import ChaosHTTPServer
import ChaosCore
import ChaosProxy

/// chaosctl's Toxiproxy-compatible control server: the HTTP API over a `ProxyDataPlane`.
///
///     let server = ToxiproxyServer(dataPlane: engine, config: try ProxyConfigLoader.load(path: "proxies.json"))
///     try server.start()        // 127.0.0.1:8474 unless told otherwise
///     ...
///     server.stop()             // stops the API and every proxy it started
public final class ToxiproxyServer: Sendable {
    public static let defaultHost = "127.0.0.1"
    public static let defaultPort: UInt16 = 8474

    public let registry: ProxyRegistry
    public let host: String
    private let requestedPort: UInt16
    private let config: [ProxyDefinition]
    private let http: HTTPServer

    /// - Parameters:
    ///   - host, port: where the API listens (port 0 picks a free port; see `port`).
    ///   - token: when set, every API route requires `Authorization: Bearer <token>`.
    ///   - config: proxies (with toxics) created by `start` before the API accepts requests.
    public init(dataPlane: ProxyDataPlane, host: String = ToxiproxyServer.defaultHost,
                port: UInt16 = ToxiproxyServer.defaultPort, token: String? = nil,
                config: [ProxyDefinition] = [], options: HTTPServer.Options = HTTPServer.Options()) {
        let registry = ProxyRegistry(dataPlane: dataPlane)
        let router = APIRouter(registry: registry, token: token?.isEmpty == true ? nil : token)
        self.registry = registry
        self.host = host
        self.requestedPort = port
        self.config = config
        self.http = HTTPServer(options: options) { router.handle($0) }
    }

    /// The port the API is bound to, after `start`.
    public var port: UInt16 { http.port }

    /// Creates the config's proxies, then binds the API. On failure nothing is left running.
    public func start() throws {
        do {
            _ = try registry.populate(config)
        } catch let error as APIError {
            throw ChaosError("config: \(error.message)", exitCode: error.status == 500 ? .conflict : .usage)
        }
        do {
            try http.start(host: host, port: requestedPort)
        } catch {
            registry.stopAll()
            throw ChaosError("proxy API: \(error)", exitCode: Self.bindExitCode(error))
        }
    }

    /// Stops the API, then every proxy.
    public func stop() {
        http.stop()
        registry.stopAll()
    }
}
