import Foundation

/// How long a container took to come back after a chaos action.
public struct Recovery: Equatable, Sendable {
    /// True when it was running (not paused, not restarting) again before the timeout.
    public var recovered: Bool
    /// Seconds from the action to recovery (or to giving up).
    public var seconds: Double
    /// The engine's restart counter afterwards (restart policies bump it).
    public var restartCount: Int?
}

/// Polls inspect until a container is up again. Polling (every 50 ms by default) rather
/// than the events stream keeps it identical on Docker and Podman and costs one small
/// request per interval on a local socket.
public enum RecoveryWaiter {
    /// - Parameters:
    ///   - previousStart: `State.StartedAt` before the action; recovery then also requires a
    ///     new start (a crashed container that still shows the old start has not come back).
    ///     Nil for pause, where the same process resumes.
    ///   - since: when the action happened.
    public static func wait(engine: ContainerEngine, id: String, previousStart: String?, since: Date,
                            timeout: Double, interval: Double = 0.05) -> Recovery {
        let deadline = since.addingTimeInterval(timeout)
        var lastCount: Int?
        // Bounded by the deadline; each round sleeps `interval`.
        while true {
            if let d = try? engine.inspect(id) {
                lastCount = d.restartCount
                let restarted = previousStart.map { d.state.startedAt != $0 } ?? true
                if d.state.isUp && restarted {
                    return Recovery(recovered: true, seconds: Date().timeIntervalSince(since), restartCount: d.restartCount)
                }
            }
            if Date() >= deadline { break }
            Thread.sleep(forTimeInterval: max(0.01, min(interval, deadline.timeIntervalSinceNow)))
        }
        return Recovery(recovered: false, seconds: Date().timeIntervalSince(since), restartCount: lastCount)
    }
}
