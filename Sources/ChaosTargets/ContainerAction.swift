import Foundation

/// One chaos action on a container.
public enum ContainerAction: Equatable, Sendable {
    /// Send a signal through the engine (treated by the engine as a manual stop: no restart
    /// policy applies afterwards).
    case kill(signal: String)
    /// SIGKILL the container's main process directly on this host, which the engine sees
    /// as a crash and handles per restart policy.
    case crash
    /// SIGTERM, then SIGKILL after `timeout` seconds.
    case stop(timeout: Int)
    case start
    case restart(timeout: Int)
    /// Pause for `duration` seconds (nil: until interrupted), then unpause. A journaled fault.
    case pause(duration: Double?)

    /// Short name used in events and output ("kill", "crash", …).
    public var name: String {
        switch self {
        case .kill: return "kill"
        case .crash: return "crash"
        case .stop: return "stop"
        case .start: return "start"
        case .restart: return "restart"
        case .pause: return "pause"
        }
    }

    /// Engine states this action applies to by default.
    public var defaultStatuses: [String] {
        switch self {
        case .start: return ["exited", "created"]
        default: return ["running"]
        }
    }

    /// What the action does, in words (dry-run and event summaries).
    public var summary: String {
        switch self {
        case .kill(let s): return "send \(s) through the engine API"
        case .crash: return "SIGKILL the main process on the host (engine sees a crash; restart policy applies)"
        case .stop(let t): return "stop (SIGTERM, SIGKILL after \(t)s)"
        case .start: return "start"
        case .restart(let t): return "restart (stop timeout \(t)s)"
        case .pause(let d): return "pause " + (d.map { "for \(Self.seconds($0)), then unpause" } ?? "until interrupted, then unpause")
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : String(format: "%.3gs", s)
    }
}
