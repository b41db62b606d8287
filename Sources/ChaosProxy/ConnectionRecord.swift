import Synchronization

/// What the API may see of one live connection. The owning loop writes the byte counts
/// (relaxed atomics); everything else is fixed at accept. Addresses are kept raw and only
/// formatted when the API asks, not once per accepted connection.
final class ConnectionRecord: Sendable {
    let id: UInt64
    let client: SocketAddress?
    let upstream: SocketAddress
    let acceptedAt: Nanos
    let bytesUpstream = Atomic<UInt64>(0)
    let bytesDownstream = Atomic<UInt64>(0)

    init(id: UInt64, client: SocketAddress?, upstream: SocketAddress, acceptedAt: Nanos) {
        self.id = id
        self.client = client
        self.upstream = upstream
        self.acceptedAt = acceptedAt
    }

    func info(now: Nanos) -> ConnectionInfo {
        ConnectionInfo(id: id, client: client?.description ?? "?", upstream: upstream.description,
                       bytesUpstream: bytesUpstream.load(ordering: .relaxed),
                       bytesDownstream: bytesDownstream.load(ordering: .relaxed),
                       ageSeconds: Double(now &- acceptedAt) / 1e9)
    }
}
