import ChaosControl
import ChaosHTTPServer
import Foundation

/// A service that really degrades: it answers 500 while the flag `broken` fires, and keeps
/// failing for `recoveryDelay` after it last saw the flag fire (a cold cache, a reconnecting
/// pool), so the test knows the true recovery instant to compare the measurement with.
// @unchecked Sendable: mutable state is guarded by `lock`; the rest are lets of thread-safe types.
final class FlaggedTestService: @unchecked Sendable {
    let reader: ControlFileReader
    let handle: FlagHandle
    let recoveryDelay: Double
    private let server: HTTPServer
    private let lock = NSLock()
    private var lastBroken: Date?
    private var trueRecovery: Date?
    var url: String { "http://127.0.0.1:\(server.port)/" }

    init(controlPath: String, recoveryDelay: Double) throws {
        reader = ControlFileReader(path: controlPath)
        handle = reader.flag("broken")
        self.recoveryDelay = recoveryDelay
        let box = WeakBox()
        server = HTTPServer { request in box.value?.respond() ?? HTTPServerResponse(status: 503, text: "gone") }
        box.value = self
        try server.start(host: "127.0.0.1", port: 0)
    }

    private func respond() -> HTTPServerResponse {
        let now = Date()
        lock.lock(); defer { lock.unlock() }
        if handle.fires() {
            lastBroken = now
            return HTTPServerResponse(status: 500, text: "broken")
        }
        if let last = lastBroken, now.timeIntervalSince(last) < recoveryDelay {
            return HTTPServerResponse(status: 503, text: "warming up")
        }
        if lastBroken != nil && trueRecovery == nil {
            trueRecovery = lastBroken!.addingTimeInterval(recoveryDelay)
        }
        return HTTPServerResponse(status: 200, text: "ok")
    }

    /// When the service became healthy again, as it knows it.
    var recoveredAt: Date? { lock.lock(); defer { lock.unlock() }; return trueRecovery }
    var lastBrokenAt: Date? { lock.lock(); defer { lock.unlock() }; return lastBroken }

    func stop() {
        server.stop()
        reader.stop()
    }
}

// @unchecked Sendable: set once before the server starts, only read after.
final class WeakBox: @unchecked Sendable { weak var value: FlaggedTestService? }
