import ChaosCore
import Foundation

/// An engine refused or failed a container operation. Docker and Podman word and number
/// their errors differently (Podman answers 500 where Docker answers 409 or 400), so both
/// are classified here into one set of reasons with distinct exit codes.
public struct ContainerEngineError: ChaosFailure, Equatable {
    public enum Reason: String, Sendable {
        case notFound, notRunning, alreadyPaused, notPaused, invalidSignal
        case unauthorized, forbidden, conflict, unsupported, engine
    }

    public var reason: Reason
    /// The operation ("kill", "pause", "list", …).
    public var operation: String
    /// The container name or ID it was about, if any.
    public var container: String?
    public var status: Int
    /// The engine's own message.
    public var engineMessage: String

    public init(reason: Reason, operation: String, container: String?, status: Int, engineMessage: String) {
        self.reason = reason
        self.operation = operation
        self.container = container
        self.status = status
        self.engineMessage = engineMessage
    }

    public var exitCode: ExitCode {
        switch reason {
        case .notFound: return .notFound
        case .notRunning, .alreadyPaused, .notPaused, .conflict: return .conflict
        case .invalidSignal: return .usage
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .unsupported: return .unsupported
        case .engine: return .failure
        }
    }

    public var description: String {
        let c = container.map { "container \($0)" } ?? "engine"
        switch reason {
        case .notFound: return "\(operation): \(container.map { "no such container: \($0)" } ?? engineMessage)"
        case .notRunning: return "\(operation): \(c) is not running"
        case .alreadyPaused: return "\(operation): \(c) is already paused"
        case .notPaused: return "\(operation): \(c) is not paused"
        case .invalidSignal: return "\(operation): invalid signal (\(engineMessage))"
        case .unauthorized: return "\(operation): the engine rejected the credentials (HTTP 401): \(engineMessage)"
        case .forbidden: return "\(operation): not allowed (HTTP 403): \(engineMessage)"
        case .conflict: return "\(operation): \(c): conflict: \(engineMessage)"
        case .unsupported: return "\(operation): \(engineMessage)"
        case .engine: return "\(operation): \(c): engine error (HTTP \(status)): \(engineMessage)"
        }
    }

    /// Classify an engine answer. `message` is the `message` field of its JSON error body.
    public static func classify(status: Int, message: String, operation: String, container: String?) -> ContainerEngineError {
        let m = message.lowercased()
        let reason: Reason
        if status == 401 {
            reason = .unauthorized
        } else if status == 403 {
            reason = .forbidden
        } else if status == 404 {
            reason = .notFound
        } else if m.contains("already paused") {
            reason = .alreadyPaused
        } else if m.contains("not paused") {
            reason = .notPaused
        } else if m.contains("is not running") || m.contains("can only kill running") || m.contains("container state improper") && m.contains("state exited") {
            reason = .notRunning
        } else if m.contains("signal") && (status == 400 || status == 500) {
            reason = .invalidSignal
        } else if m.contains("too new") || m.contains("too old") {
            reason = .unsupported
        } else if status == 409 {
            reason = .conflict
        } else {
            reason = .engine
        }
        return ContainerEngineError(reason: reason, operation: operation, container: container,
                                    status: status, engineMessage: message)
    }
}
