import ChaosCore
import ChaosHTTP
import Foundation

/// Where the engine's API lives, parsed from `--host` or `DOCKER_HOST`.
public struct DockerHost: Equatable, Sendable, CustomStringConvertible {
    public enum Endpoint: Equatable, Sendable {
        case unix(path: String)
        case tcp(host: String, port: Int)
    }

    public static let defaultSocket = "/var/run/docker.sock"

    public var endpoint: Endpoint

    public init(endpoint: Endpoint) { self.endpoint = endpoint }

    /// Parse "unix:///run/docker.sock", "tcp://127.0.0.1:2375", a bare socket path, or nil
    /// / empty for the default socket.
    public init(_ text: String?) throws {
        guard let raw = text?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            self.endpoint = .unix(path: Self.defaultSocket)
            return
        }
        if raw.hasPrefix("unix://") {
            let path = String(raw.dropFirst("unix://".count))
            guard path.hasPrefix("/") else { throw Self.invalid(raw, "unix socket path must be absolute") }
            self.endpoint = .unix(path: path)
        } else if raw.hasPrefix("/") {
            self.endpoint = .unix(path: raw)
        } else if raw.hasPrefix("tcp://") || raw.hasPrefix("http://") {
            let rest = raw.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? ""
            let (host, port) = try Self.splitHostPort(rest, original: raw)
            self.endpoint = .tcp(host: host, port: port)
        } else {
            throw Self.invalid(raw, "use unix:///path/to/docker.sock or tcp://HOST:PORT (TLS endpoints are not supported)")
        }
    }

    /// `DOCKER_HOST` from the environment, else the default socket.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DockerHost {
        try DockerHost(environment["DOCKER_HOST"])
    }

    public var description: String {
        switch endpoint {
        case .unix(let path): return "unix://" + path
        case .tcp(let host, let port): return "tcp://\(host):\(port)"
        }
    }

    /// True when the engine's processes can be this host's processes (a unix socket, or
    /// TCP to loopback). Crash still checks the process itself before killing it.
    public var isLocal: Bool {
        switch endpoint {
        case .unix: return true
        case .tcp(let host, _): return host == "127.0.0.1" || host == "localhost" || host == "::1"
        }
    }

    /// HTTP client settings for this endpoint.
    public func httpConfiguration(connectTimeout: Double = 5, timeout: Double = 60) -> HTTPClientConfiguration {
        switch endpoint {
        case .unix(let path):
            return HTTPClientConfiguration(baseURL: "http://localhost", transport: .unixSocket(path: path),
                                           connectTimeout: connectTimeout, timeout: timeout)
        case .tcp(let host, let port):
            let h = host.contains(":") ? "[\(host)]" : host
            return HTTPClientConfiguration(baseURL: "http://\(h):\(port)", connectTimeout: connectTimeout, timeout: timeout)
        }
    }

    private static func splitHostPort(_ text: String, original: String) throws -> (String, Int) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            let port = after.hasPrefix(":") ? Int(after.dropFirst()) : 2375
            guard let port, (1...65535).contains(port) else { throw invalid(original, "bad port") }
            return (host, port)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, parts.count <= 2 else { throw invalid(original, "expected HOST:PORT") }
        let port = parts.count == 2 ? Int(parts[1]) : 2375
        guard let port, (1...65535).contains(port) else { throw invalid(original, "bad port") }
        return (String(first), port)
    }

    private static func invalid(_ text: String, _ why: String) -> ChaosError {
        ChaosError("invalid Docker host '\(text)': \(why)", exitCode: .usage)
    }
}
