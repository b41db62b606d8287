import ChaosCore

/// A toxic added through the API. Kind "toxic": revert removes it. The toxic's name is
/// fixed before applying (Toxiproxy's default `<type>_<stream>` when none is given), so the
/// journal always knows what to remove.
public struct ToxicFault: PreflightFault {
    public static let kindName = "toxic"

    /// The API that adds (and later removes) the toxic.
    public var endpoint: ToxiproxyEndpoint
    /// The toxic as asked for (by the CLI or an experiment step).
    public var options: ToxicOptions

    public init(endpoint: ToxiproxyEndpoint, options: ToxicOptions) {
        self.endpoint = endpoint
        self.options = options
    }

    /// The toxic's name, always set (see the type's comment).
    public var name: String { options.resolvedName }
    public var proxy: String { options.proxy }

    public var kind: String { Self.kindName }
    public var target: String { "proxy \(proxy) at \(endpoint.api)" }
    public var summary: String {
        let attrs = options.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        var text = "\(name): \(options.type) \(options.stream)"
        if options.toxicity != 1 { text += " toxicity \(options.toxicity)" }
        if !attrs.isEmpty { text += " " + attrs }
        if let ttl = options.ttl { text += " ttl \(ttl)" }
        return text
    }

    /// Besides where the toxic is, its definition as added, so a revert can tell it from a
    /// toxic someone else has since put under the same name.
    public func revertData() throws -> [String: String] {
        endpoint.revertData().merging(["proxy": proxy, "toxic": name]) { $1 }
            .merging(ToxicDefinition(options).revertData) { $1 }
    }

    /// Refuses a missing proxy or a taken toxic name before journaling, so the revert of a
    /// failed add never removes a toxic this fault did not create.
    public func preflight() throws {
        let existing = try endpoint.client().proxy(proxy)
        if existing.toxics.contains(where: { $0.name == name }) {
            throw ToxiproxyClientError(status: 409, message: "toxic already exists")
        }
    }

    public func apply() throws { _ = try add() }

    /// Adds the toxic and returns it as the server reports it.
    public func add() throws -> RemoteToxic {
        try endpoint.client().addToxic(proxy: proxy, name: name, type: options.type, stream: options.stream,
                                       toxicity: options.toxicity, attributes: options.attributes, ttl: options.ttl)
    }
}

/// Removes a journaled toxic; a toxic (or proxy) already gone counts as reverted. A toxic
/// under the same name whose definition differs from what the record added was redefined
/// (or replaced) by someone else: it is left in place and the result says so.
public struct ToxicReverter: SingleBodyRevert {
    public var kind: String { ToxicFault.kindName }
    public init() {}

    public func revertChecking(_ record: FaultRecord, journal: FaultJournal?) throws -> FaultRevertResult {
        guard let proxy = record.revertData["proxy"], let toxic = record.revertData["toxic"] else {
            throw ChaosError("record \(record.id) names no proxy or toxic")
        }
        let endpoint = try ToxiproxyEndpoint.from(record)
        let client = try endpoint.client()
        do {
            if let added = ToxicDefinition(revertData: record.revertData) {
                guard let current = try client.proxy(proxy).toxics.first(where: { $0.name == toxic }) else {
                    return FaultRevertResult()
                }
                if let difference = added.difference(from: current) {
                    return FaultRevertResult(leftAlone: [
                        "toxic \(toxic) on proxy \(proxy) at \(endpoint.api): \(difference) since this fault added it; left as it is",
                    ])
                }
            }
            // Toxiproxy has no conditional delete: a redefinition between the check and
            // this call cannot be seen.
            try client.removeToxic(proxy: proxy, name: toxic)
        } catch let error as ToxiproxyClientError where error.isNotFound {
            return FaultRevertResult()
        }
        return FaultRevertResult()
    }
}
