import ChaosJSON
import ChaosProxy
import ChaosProxyModel

/// A proxy as the API stores and shows it (Toxiproxy's model).
public struct ProxyState: Sendable, Equatable {
    public var name: String
    /// The bound address once started ("127.0.0.1:26379"), else the address as given.
    public var listen: String
    public var upstream: String
    public var enabled: Bool
    /// In insertion order; `orderedToxics` gives Toxiproxy's listing order.
    public var toxics: [Toxic]

    public init(name: String, listen: String, upstream: String, enabled: Bool, toxics: [Toxic] = []) {
        self.name = name
        self.listen = listen
        self.upstream = upstream
        self.enabled = enabled
        self.toxics = toxics
    }

    /// Toxiproxy lists the upstream chain first, then the downstream one, each in the
    /// order the toxics were added.
    public var orderedToxics: [Toxic] {
        toxics.filter { $0.stream == .upstream } + toxics.filter { $0.stream == .downstream }
    }

    /// What the data plane runs: the ordered toxics minus those that do nothing.
    public var toxicSpecs: [ToxicSpec] { orderedToxics.compactMap(\.spec) }

    /// Toxiproxy's JSON, including its always-empty "Logger" object.
    public func json(nowNs: UInt64) -> String {
        JSONWriter.object([
            ("name", JSONWriter.string(name)),
            ("listen", JSONWriter.string(listen)),
            ("upstream", JSONWriter.string(upstream)),
            ("enabled", enabled ? "true" : "false"),
            ("Logger", "{}"),
            ("toxics", JSONWriter.array(orderedToxics.map { $0.json(nowNs: nowNs) })),
        ])
    }
}

/// A proxy to create: from `POST /proxies`, `/populate` or a config file.
public struct ProxyDefinition: Sendable, Equatable {
    /// Used when `listen` is omitted. Toxiproxy listens on all interfaces then; chaosctl
    /// stays on loopback.
    public static let defaultListen = "127.0.0.1:0"

    public var name: String
    public var listen: String
    public var upstream: String
    public var enabled: Bool
    /// chaosctl extension: toxics in place before the first connection is accepted.
    public var toxics: [Toxic]

    public init(name: String, listen: String = ProxyDefinition.defaultListen, upstream: String,
                enabled: Bool = true, toxics: [Toxic] = []) {
        self.name = name
        self.listen = listen
        self.upstream = upstream
        self.enabled = enabled
        self.toxics = toxics
    }

    /// Decodes one proxy object. Missing name/upstream are left empty for `checkRequired`,
    /// because Toxiproxy reports type errors before missing fields.
    public static func decode(_ value: JSONValue, goType: String = "toxiproxy.Proxy") throws -> ProxyDefinition {
        let reader: GoFieldReader
        var definition = ProxyDefinition(name: "", upstream: "")
        do {
            reader = try GoFieldReader(value, structName: "Proxy", goType: goType)
            definition.name = try reader.string("name") ?? ""
            let listen = try reader.string("listen") ?? ""
            definition.listen = listen.isEmpty ? defaultListen : listen
            definition.upstream = try reader.string("upstream") ?? ""
            definition.enabled = try reader.bool("enabled") ?? true
        } catch {
            throw APIError.badRequestBody(error)
        }
        guard let rawToxics = reader.raw("toxics") else { return definition }
        guard case .array(let items) = rawToxics else {
            throw APIError.badRequestBody(reader.mismatch("toxics", rawToxics, "[]toxics.ToxicWrapper"))
        }
        for item in items {
            let toxic = try ToxicDecoding.decodeNew(item) { name in definition.toxics.contains { $0.name == name } }
            definition.toxics.append(toxic)
        }
        return definition
    }

    /// Toxiproxy's "missing required field: name" / "upstream" check; `suffix` adds
    /// " at proxy N" for `/populate`.
    public func checkRequired(suffix: String = "") throws {
        if name.isEmpty { throw APIError.missingField("name" + suffix) }
        if upstream.isEmpty { throw APIError.missingField("upstream" + suffix) }
        try ResourceName.check(name, as: "proxy name")
        try ResourceName.checkUpstream(upstream)
    }
}

/// The fields `POST/PATCH /proxies/{name}` may change; `name` in the body is ignored.
public struct ProxyUpdate: Sendable, Equatable {
    public var listen: String?
    public var upstream: String?
    public var enabled: Bool?

    public static func decode(_ value: JSONValue) throws -> ProxyUpdate {
        let update: ProxyUpdate
        do {
            let reader = try GoFieldReader(value, structName: "Proxy", goType: "toxiproxy.Proxy")
            _ = try reader.string("name")
            let listen = try reader.string("listen")
            let upstream = try reader.string("upstream")
            update = ProxyUpdate(listen: listen?.isEmpty == true ? nil : listen,
                                 upstream: upstream?.isEmpty == true ? nil : upstream,
                                 enabled: try reader.bool("enabled"))
        } catch {
            throw APIError.badRequestBody(error)
        }
        if let upstream = update.upstream { try ResourceName.checkUpstream(upstream) }
        return update
    }
}
