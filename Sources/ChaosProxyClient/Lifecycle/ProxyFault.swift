import ChaosCore

/// A proxy created through the API, journaled so `status` shows it and `recover --all`
/// deletes it. Kind "proxy"; detached unless the caller holds it.
public struct ProxyFault: PreflightFault {
    public static let kindName = "proxy"

    /// The API that creates (and later deletes) the proxy.
    public var endpoint: ToxiproxyEndpoint
    /// Proxy name, unique on that server.
    public var name: String
    /// "HOST:PORT" to listen on, and "HOST:PORT" to forward to.
    public var listen: String
    public var upstream: String

    public init(endpoint: ToxiproxyEndpoint, name: String, listen: String, upstream: String) {
        self.endpoint = endpoint
        self.name = name
        self.listen = listen
        self.upstream = upstream
    }

    public var kind: String { Self.kindName }
    public var target: String { "proxy \(name) at \(endpoint.api)" }
    public var summary: String { "listen \(listen) → upstream \(upstream)" }

    public func revertData() throws -> [String: String] {
        endpoint.revertData().merging(["proxy": name, "listen": listen, "upstream": upstream]) { $1 }
    }

    /// Refuses a taken name before journaling, so a failed create never deletes someone
    /// else's proxy. (A proxy created by another client between this check and the POST
    /// would still be deleted by the revert of the failed create: a narrow race.)
    public func preflight() throws {
        do {
            _ = try endpoint.client().proxy(name)
        } catch let error as ToxiproxyClientError where error.isNotFound {
            return
        }
        throw ToxiproxyClientError(status: 409, message: "proxy already exists")
    }

    /// Creates the proxy.
    public func apply() throws { _ = try create() }

    /// Creates the proxy and returns it as the server reports it.
    public func create() throws -> RemoteProxy {
        try endpoint.client().createProxy(name: name, listen: listen, upstream: upstream)
    }
}

/// Deletes a journaled proxy; a proxy already gone counts as reverted. A proxy under the
/// same name with another upstream was recreated by someone else: it is left in place and
/// the result says so. (The listen address is not compared: the server reports the bound
/// port and the resolved host, not what was asked for.)
public struct ProxyReverter: SingleBodyRevert {
    public var kind: String { ProxyFault.kindName }
    public init() {}

    public func revertChecking(_ record: FaultRecord, journal: FaultJournal?) throws -> FaultRevertResult {
        guard let name = record.revertData["proxy"] else { throw ChaosError("record \(record.id) names no proxy") }
        let endpoint = try ToxiproxyEndpoint.from(record)
        let client = try endpoint.client()
        do {
            if let upstream = record.revertData["upstream"] {
                let current = try client.proxy(name)
                if current.upstream != upstream {
                    return FaultRevertResult(leftAlone: [
                        "proxy \(name) at \(endpoint.api): recreated since this fault created it (upstream now \(current.upstream)); left as it is",
                    ])
                }
            }
            try client.deleteProxy(name)
        } catch let error as ToxiproxyClientError where error.isNotFound {
            return FaultRevertResult()
        }
        return FaultRevertResult()
    }
}
