import ChaosControl
import ChaosHTTPServer
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small service that behaves like the ones chaosctl users break: it reads the control
/// file through ChaosControl (so flags degrade it in-process) and calls a "database"
/// dependency over TCP (so proxy toxics in front of that dependency degrade it too).
///
/// `GET /` answers 200 `{"ok":true,...}` when everything works, and:
/// - `slow-db` fires: sleeps latency ± jitter before answering;
/// - `drop-s3` fires: 503 (a storage write failed);
/// - `fail-auth` fires: mode `fail` → 500, `fallback` → 200 marked `"auth":"fallback"`;
/// - `rate-limit-spike` fires: severity `hard` → 429, `soft` → 50 ms of backpressure;
/// - the dependency is slow, down or resets: 502 after `dependencyTimeout`.
// @unchecked Sendable: `server` is set in start() and cleared in stop() by the owner; the rest are thread-safe lets.
public final class DemoService: @unchecked Sendable {
    public let control: ControlFileReader
    public let dependency: (host: String, port: UInt16)?
    public let dependencyTimeout: Double
    private var server: HTTPServer?
    private let slowDB, dropS3, failAuth, rateLimit: FlagHandle

    public init(controlPath: String, dependency: (host: String, port: UInt16)?, dependencyTimeout: Double = 1, seed: UInt64? = nil) {
        control = ControlFileReader(path: controlPath, seed: seed)
        self.dependency = dependency
        self.dependencyTimeout = dependencyTimeout
        slowDB = control.flag("slow-db")
        dropS3 = control.flag("drop-s3")
        failAuth = control.flag("fail-auth")
        rateLimit = control.flag("rate-limit-spike")
    }

    /// Listen on `host:port` (0 = any free port); returns the bound port.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: UInt16 = 0) throws -> UInt16 {
        let server = HTTPServer { [self] request in handle(request) }
        try server.start(host: host, port: port)
        self.server = server
        return server.port
    }

    public func stop() {
        server?.stop()
        control.stop()
    }

    func handle(_ request: HTTPServerRequest) -> HTTPServerResponse {
        guard request.path == "/" || request.path == "/health" else {
            return json(404, #"{"ok":false,"error":"not found"}"#)
        }
        let slow = slowDB.decide()
        if slow.fires { slow.sleepForDelay() }
        let limit = rateLimit.decide()
        if limit.fires {
            if limit.severity == .hard { return json(429, #"{"ok":false,"error":"rate limited (injected: rate-limit-spike hard)"}"#) }
            usleep(50_000)
        }
        if dropS3.fires() { return json(503, #"{"ok":false,"error":"storage write failed (injected: drop-s3)"}"#) }
        var auth = "ok"
        let authDecision = failAuth.decide()
        if authDecision.fires {
            if authDecision.mode == .fallback { auth = "fallback" } else {
                return json(500, #"{"ok":false,"error":"authentication failed (injected: fail-auth)"}"#)
            }
        }
        var database = "not configured"
        if let dependency {
            switch DependencyCall.ping(host: dependency.host, port: dependency.port, timeout: dependencyTimeout) {
            case .success(let reply): database = reply
            case .failure(let error): return json(502, #"{"ok":false,"error":"database: \#(error.message)"}"#)
            }
        }
        return json(200, #"{"ok":true,"auth":"\#(auth)","database":"\#(database)","generation":\#(control.currentGeneration)}"#)
    }

    private func json(_ status: Int, _ body: String) -> HTTPServerResponse {
        HTTPServerResponse(status: status, headers: [(name: "Content-Type", value: "application/json")], text: body + "\n")
    }
}
