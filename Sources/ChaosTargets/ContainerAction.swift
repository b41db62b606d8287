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
    /// Disconnect from `network` for `duration` seconds (nil: until interrupted), then
    /// reconnect with the same aliases and addresses. A journaled fault.
    case disconnect(network: String, duration: Double?)
    /// Set CPU/memory limits for `duration` seconds, then restore them. A journaled fault.
    case limit(ContainerLimitChange, duration: Double?)

    /// Short name used in events and output ("kill", "crash", …).
    public var name: String {
        switch self {
        case .kill: return "kill"
        case .crash: return "crash"
        case .stop: return "stop"
        case .start: return "start"
        case .restart: return "restart"
        case .pause: return "pause"
        case .disconnect: return "disconnect"
        case .limit: return "limit"
        }
    }

    /// Held faults (applied, held, reverted) rather than one-shot actions; nil when one-shot.
    public var heldDuration: Double?? {
        switch self {
        case .pause(let d), .disconnect(_, let d), .limit(_, let d): return .some(d)
        default: return nil
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
        case .disconnect(let net, let d):
            return "disconnect from network \(net) " + (d.map { "for \(Self.seconds($0))" } ?? "until interrupted") + ", then reconnect"
        case .limit(let change, let d):
            return "limit \(change) " + (d.map { "for \(Self.seconds($0))" } ?? "until interrupted") + ", then restore"
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : String(format: "%.3gs", s)
    }
}
