/// A live proxied connection, for the "connections per proxy" view.
public struct ConnectionInfo: Sendable, Equatable {
    public var id: UInt64
    public var client: String
    public var upstream: String
    public var bytesUpstream: UInt64
    public var bytesDownstream: UInt64
    /// Seconds since the connection was accepted.
    public var ageSeconds: Double
    public init(id: UInt64, client: String, upstream: String, bytesUpstream: UInt64, bytesDownstream: UInt64, ageSeconds: Double) {
        self.id = id
        self.client = client
        self.upstream = upstream
        self.bytesUpstream = bytesUpstream
        self.bytesDownstream = bytesDownstream
        self.ageSeconds = ageSeconds
    }
}

/// Counters per proxy (monotonic), for /metrics.
public struct ProxyCounters: Sendable, Equatable {
    public var acceptedConnections: UInt64 = 0
    public var activeConnections: UInt64 = 0
    public var refusedConnections: UInt64 = 0
    public var bytesUpstream: UInt64 = 0
    public var bytesDownstream: UInt64 = 0
    /// Per toxic name: how many connections it was applied to.
    public var toxicApplications: [String: UInt64] = [:]
    /// How late, against their schedule, bytes left the toxic chains (toxic path only).
    public var releaseLateness = ReleaseLateness()
    public init() {}
}

/// The seam between the control API and the data plane. Every call returns quickly: it
/// hands a command to the event loops and never waits on traffic.
public protocol ProxyDataPlane: AnyObject, Sendable {
    /// Bind `listen` ("host:port", port 0 = any) and start proxying to `upstream`, with
    /// `toxics` in place before the first connection is accepted. Returns the bound address.
    func start(proxy name: String, listen: String, upstream: String, toxics: [ToxicSpec]) throws -> String
    /// Close the listener and every connection of the proxy, before returning.
    func stop(proxy name: String)
    /// New connections dial `upstream`; existing ones keep theirs.
    func update(proxy name: String, upstream: String) throws
    /// Replace the proxy's toxics; live connections switch chains without being dropped,
    /// before this returns.
    func setToxics(proxy name: String, toxics: [ToxicSpec])
    func connections(proxy name: String) -> [ConnectionInfo]
    func counters(proxy name: String) -> ProxyCounters
    /// Toxic deadlines a loop's understudy served because the loop thread had not (all proxies).
    var understudyTakeovers: UInt64 { get }
}

extension ProxyDataPlane {
    public var understudyTakeovers: UInt64 { 0 }
}
