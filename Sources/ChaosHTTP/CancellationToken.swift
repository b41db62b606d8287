import Foundation

/// Cancels a running request (typically a long watch or events stream) from another
/// thread. A cancelled stream ends within about a second even if the server is silent,
/// because libcurl polls the progress callback while idle.
// @unchecked Sendable: `cancelled` is guarded by `lock`.
public final class CancellationToken: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public func cancel() {
        lock.lock(); cancelled = true; lock.unlock()
    }

    public var isCancelled: Bool {
        lock.lock(); defer { lock.unlock() }
        return cancelled
    }
}
