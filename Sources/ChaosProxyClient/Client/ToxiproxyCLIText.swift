import ChaosJSON
import ChaosProxyModel
import Foundation

/// The lines toxiproxy-cli 2.12 prints when stdout is not a terminal, so scripts
/// written against it keep working with `chaosctl proxy` / `chaosctl toxic`. Names and
/// addresses from the server have their control characters made visible, so a name
/// cannot break a line or a column (toxiproxy-cli prints them raw).
public enum ToxiproxyCLIText {
    /// `list`: "name<TAB>listen<TAB>upstream<TAB>enabled|disabled<TAB>toxic count", by name.
    public static func list(_ proxies: [RemoteProxy]) -> String {
        proxies.sorted { $0.name < $1.name }.map {
            "\($0.name.escapingControlCharacters)\t\($0.listen.escapingControlCharacters)\t\($0.upstream.escapingControlCharacters)\t\($0.enabled ? "enabled" : "disabled")\t\($0.toxics.count)\n"
        }.joined()
    }

    /// `inspect`: one line per toxic, upstream ones first, attributes sorted by name.
    public static func inspect(_ proxy: RemoteProxy) -> String {
        let ordered = proxy.toxics.filter { $0.stream == "upstream" } + proxy.toxics.filter { $0.stream != "upstream" }
        return ordered.map { toxic in
            let attributes = toxic.attributes.sorted { $0.key < $1.key }
                .map { "\t\($0.key.escapingControlCharacters)=\(JSONWriter.value($0.value))" }.joined()
            return "\(toxic.name.escapingControlCharacters)\ttype=\(toxic.type.escapingControlCharacters)\tstream=\(toxic.stream.escapingControlCharacters)\ttoxicity="
                + String(format: "%.2f", toxic.toxicity) + "\tattributes=[\(attributes)\t]\n"
        }.joined()
    }

    public static func created(_ proxy: String) -> String { "Created new proxy \(proxy.escapingControlCharacters)\n" }
    public static func deleted(_ proxy: String) -> String { "Deleted proxy \(proxy.escapingControlCharacters)\n" }
    public static func toggled(_ proxy: RemoteProxy) -> String {
        "Proxy \(proxy.name.escapingControlCharacters) is now \(proxy.enabled ? "enabled" : "disabled")\n"
    }
    public static func toxicAdded(_ toxic: RemoteToxic, proxy: String) -> String {
        "Added \(toxic.stream.escapingControlCharacters) \(toxic.type.escapingControlCharacters) toxic '\(toxic.name.escapingControlCharacters)' on proxy '\(proxy.escapingControlCharacters)'\n"
    }
    public static func toxicUpdated(_ toxic: String, proxy: String) -> String {
        "Updated toxic '\(toxic.escapingControlCharacters)' on proxy '\(proxy.escapingControlCharacters)'\n"
    }
    public static func toxicRemoved(_ toxic: String, proxy: String) -> String {
        "Removed toxic '\(toxic.escapingControlCharacters)' on proxy '\(proxy.escapingControlCharacters)'\n"
    }

    // Failure lines (stderr, followed by an empty line, exit status 1).
    public static func createFailed(_ error: Error) -> String { "Failed to create proxy: Create: \(error)\n\n" }
    public static func addToxicFailed(_ error: Error, proxy: String) -> String {
        "Failed to add toxic: failed to add toxic to proxy \(proxy): AddToxic: \(error)\n\n"
    }
    public static func updateToxicFailed(_ error: Error, proxy: String) -> String {
        "Failed to update toxic: failed to update toxic on proxy \(proxy): UpdateToxic: \(error)\n\n"
    }
    public static func removeToxicFailed(_ error: Error, proxy: String) -> String {
        "Failed to remove toxic: failed to remove toxic from proxy \(proxy): RemoveToxic: \(error)\n\n"
    }
    public static func retrieveFailed(_ error: Error, proxy: String) -> String {
        "Failed to retrieve proxy \(proxy): \(error)\n\n"
    }
    public static func deleteFailed(_ error: Error, proxy: String) -> String {
        "Failed to delete proxy: Delete: \(error)\n\n"
    }
    public static func toggleFailed(_ error: Error, proxy: String) -> String {
        "Failed to toggle proxy \(proxy): \(error)\n\n"
    }
    public static func listFailed(_ error: Error) -> String { "Failed to retrieve proxies: \(error)\n\n" }

    /// `toxic add`'s flags as the options model. `-a ttl=DURATION` is chaosctl's ttl
    /// extension, not a toxic attribute (its value is a duration); it overrides `ttl`.
    public static func toxicOptions(proxy: String, name: String?, type: String, upstream: Bool, toxicity: Double,
                                    attributePairs: [String], ttl: String?) throws -> ToxicOptions {
        var ttl = ttl
        var plain: [String] = []
        for pair in attributePairs {
            if pair.hasPrefix("ttl=") { ttl = String(pair.dropFirst(4)) } else { plain.append(pair) }
        }
        return ToxicOptions(proxy: proxy, name: name, type: type, stream: upstream ? "upstream" : "downstream",
                            toxicity: toxicity, attributes: try ToxicAttributeInput.parse(plain, type: type), ttl: ttl)
    }
}
