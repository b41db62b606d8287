import ChaosHTTP
import Foundation

/// Where the credentials for each request come from. Token files are read again before
/// every request because projected service-account tokens are rotated on disk.
public enum KubeAuth: Sendable, Equatable {
    case none
    case token(String)
    /// kubeconfig `tokenFile`, or the in-cluster service-account token.
    case tokenFile(String)
    case exec(KubeExecConfig)
}

/// One resolved API endpoint: what kubeconfig (or the in-cluster environment) says to use.
public struct KubeTarget: Sendable, Equatable {
    /// "https://host:port" with no trailing slash.
    public var server: String
    /// TLS trust and the static client certificate (exec plugins may add one per request).
    public var tls: TLSOptions
    public var auth: KubeAuth
    /// The namespace to use when the command names none.
    public var namespace: String
    /// A human description of the source: "context kind-chaos in /home/u/.kube/config".
    public var origin: String

    public init(server: String, tls: TLSOptions = TLSOptions(), auth: KubeAuth = .none,
                namespace: String = "default", origin: String = "explicit") {
        var s = server
        while s.hasSuffix("/") { s.removeLast() }
        self.server = s
        self.tls = tls
        self.auth = auth
        self.namespace = namespace
        self.origin = origin
    }
}
