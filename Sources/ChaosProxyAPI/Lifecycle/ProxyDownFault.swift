import ChaosCore

/// A proxy disabled through the API (its listener and connections closed). Kind
/// "proxy-down": revert enables it again.
public struct ProxyDownFault: PreflightFault {
    public static let kindName = "proxy-down"

    /// The API that disables (and later enables) the proxy.
    public var endpoint: ToxiproxyEndpoint
    /// The proxy to take down.
    public var name: String

    public init(endpoint: ToxiproxyEndpoint, name: String) {
        self.endpoint = endpoint
        self.name = name
    }

    public var kind: String { Self.kindName }
    public var target: String { "proxy \(name) at \(endpoint.api)" }
    public var summary: String { "disabled (listener and connections closed)" }

    /// Records whether the proxy was enabled, so revert does not enable one that was
    /// already down before this fault.
    public func revertData() throws -> [String: String] {
        let wasEnabled = try endpoint.client().proxy(name).enabled
        return endpoint.revertData().merging(["proxy": name, "was_enabled": wasEnabled ? "true" : "false"]) { $1 }
    }

    /// An unknown proxy fails before anything is journaled.
    public func preflight() throws { _ = try endpoint.client().proxy(name) }

    public func apply() throws { _ = try endpoint.client().setEnabled(name, false) }
}

/// Enables a journaled disabled proxy; a proxy deleted meanwhile counts as reverted.
public struct ProxyDownReverter: FaultReverter {
    public var kind: String { ProxyDownFault.kindName }
    public init() {}

    public func revert(_ record: FaultRecord) throws {
        guard let name = record.revertData["proxy"] else { throw ChaosError("record \(record.id) names no proxy") }
        if record.revertData["was_enabled"] == "false" { return }
        do {
            _ = try ToxiproxyEndpoint.from(record).client().setEnabled(name, true)
        } catch let error as ToxiproxyClientError where error.isNotFound {
            return
        }
    }
}
