/// How requests reach the server.
public enum HTTPTransport: Equatable, Sendable {
    /// Ordinary TCP to the URL's host and port.
    case tcp
    /// HTTP over a unix domain socket (Docker's `/var/run/docker.sock`). The URL's host is
    /// only sent in the `Host` header.
    case unixSocket(path: String)
}
