import ChaosCore

/// A transport-level failure: the request did not produce an HTTP response. HTTP error
/// statuses are not errors at this level; callers map them to their own meaning.
public struct HTTPError: ChaosFailure, Equatable {
    public enum Kind: String, Sendable {
        /// Connection refused, no such socket, host unresolvable or unreachable.
        case unreachable
        /// Connect or total timeout expired.
        case timeout
        /// Handshake failed, certificate rejected, bad CA/cert/key material.
        case tls
        /// The caller cancelled (stream callback asked to stop, or the token was cancelled).
        case cancelled
        /// Bad URL or option the client could not use.
        case invalidRequest
        /// The server answered something that is not what was expected.
        case invalidResponse
        case other
    }

    public var kind: Kind
    public var url: String
    public var message: String

    public init(kind: Kind, url: String, message: String) {
        self.kind = kind
        self.url = url
        self.message = message
    }

    /// Every failure to talk to the endpoint maps to `.unreachable` so scripts can tell
    /// "the API did not answer (properly)" from "the API said no".
    public var exitCode: ExitCode {
        switch kind {
        case .unreachable, .timeout, .tls: return .unreachable
        case .cancelled: return .aborted
        case .invalidRequest: return .usage
        case .invalidResponse, .other: return .failure
        }
    }

    public var description: String {
        let target = url.isEmpty ? "" : " (\(url))"
        switch kind {
        case .unreachable: return "cannot connect\(target): \(message)"
        case .timeout: return "timed out\(target): \(message)"
        case .tls: return "TLS error\(target): \(message)"
        case .cancelled: return "cancelled\(target)"
        case .invalidRequest: return "invalid request\(target): \(message)"
        case .invalidResponse: return "unexpected response\(target): \(message)"
        case .other: return "HTTP request failed\(target): \(message)"
        }
    }
}
