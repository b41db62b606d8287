import ChaosCore
import ChaosJSON
import ChaosProxyModel
import Foundation

/// A config file problem naming the file, the field (`[1].toxics[0].attributes.latency`)
/// and the offending value.
public struct ProxyConfigError: ChaosFailure, Equatable {
    public var file: String
    public var field: String
    public var value: String
    public var reason: String
    public var exitCode: ExitCode { .usage }
    public var description: String {
        var parts = [file]
        if !field.isEmpty { parts.append(field) }
        if !value.isEmpty { parts.append(value) }
        return parts.joined(separator: ": ") + ": " + reason
    }
}

/// Loads a Toxiproxy `-config` file: a JSON array of `{name, listen, upstream, enabled}`,
/// where chaosctl also accepts `toxics` (the same objects `POST /proxies/{name}/toxics` takes).
public enum ProxyConfigLoader {
    /// Largest config file read; a proxy list is small.
    public static let maximumBytes = 4 * 1024 * 1024

    /// Reads and checks the file at `path`; throws `ProxyConfigError`.
    public static func load(path: String) throws -> [ProxyDefinition] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ProxyConfigError(file: path, field: "", value: "", reason: "cannot be read (missing or no permission)")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumBytes + 1)) ?? Data()
        guard data.count <= maximumBytes else {
            throw ProxyConfigError(file: path, field: "", value: "", reason: "larger than \(maximumBytes) bytes")
        }
        return try parse(Array(data), file: path)
    }

    /// Checks config text already read; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws -> [ProxyDefinition] {
        func failure(_ field: String, _ value: String, _ reason: String) -> ProxyConfigError {
            ProxyConfigError(file: file, field: field, value: value, reason: reason)
        }
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            throw failure("", "", "not valid JSON: \(error)")
        }
        guard case .array(let items) = document else {
            throw failure("", "", "expected a JSON array of proxies, found \(document.goKindName)")
        }
        var definitions: [ProxyDefinition] = []
        for (index, item) in items.enumerated() {
            let path = "[\(index)]"
            guard case .object = item else { throw failure(path, JSONWriter.value(item), "expected a proxy object") }
            for (key, kind) in [("name", "string"), ("listen", "string"), ("upstream", "string"), ("enabled", "bool"),
                                ("toxics", "array")] {
                if let value = item[key], value != .null, value.goKindName != kind {
                    throw failure("\(path).\(key)", JSONWriter.value(value), "must be a \(kind)")
                }
            }
            if let toxics = item["toxics"], case .array(let toxicItems) = toxics {
                for (toxicIndex, toxic) in toxicItems.enumerated() {
                    try checkToxic(toxic, field: "\(path).toxics[\(toxicIndex)]", failure: failure)
                }
            }
            let definition: ProxyDefinition
            do { definition = try ProxyDefinition.decode(item) } catch let error as APIError {
                throw failure("\(path).toxics", "", error.message)
            }
            if definition.name.isEmpty { throw failure("\(path).name", "", "is required") }
            if definition.upstream.isEmpty { throw failure("\(path).upstream", "", "is required") }
            if let problem = ResourceName.problem(definition.name) {
                throw failure("\(path).name", definition.name.escapingControlCharacters, problem)
            }
            do { try ResourceName.checkUpstream(definition.upstream) } catch let error as APIError {
                throw failure("\(path).upstream", definition.upstream.escapingControlCharacters, error.message)
            }
            do { try ListenAddress.validate(definition.listen) } catch let error as APIError {
                throw failure("\(path).listen", definition.listen, error.message)
            }
            if definitions.contains(where: { $0.name == definition.name }) {
                throw failure("\(path).name", definition.name, "duplicate proxy name")
            }
            definitions.append(definition)
        }
        return definitions
    }

    /// Field-precise checks of one toxic, before the API decoder (whose messages lack paths).
    private static func checkToxic(_ toxic: JSONValue, field: String,
                                   failure: (String, String, String) -> ProxyConfigError) throws {
        guard case .object = toxic else { throw failure(field, JSONWriter.value(toxic), "expected a toxic object") }
        guard case .string(let typeName)? = toxic["type"], let type = ToxicType(rawValue: typeName) else {
            throw failure("\(field).type", toxic["type"].map(JSONWriter.value) ?? "", "invalid toxic type (one of: "
                + ToxicType.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        if let stream = toxic["stream"], stream != .null {
            guard case .string(let text) = stream, ["upstream", "downstream"].contains(text.lowercased()) else {
                throw failure("\(field).stream", JSONWriter.value(stream), "must be upstream or downstream")
            }
        }
        if let toxicity = toxic["toxicity"], toxicity != .null {
            guard case .number(let text) = toxicity, let value = Double(text), value >= 0, value <= 1 else {
                throw failure("\(field).toxicity", JSONWriter.value(toxicity), "must be a number from 0 to 1")
            }
        }
        if let attributes = toxic["attributes"], attributes != .null {
            guard case .object = attributes else {
                throw failure("\(field).attributes", JSONWriter.value(attributes), "must be an object")
            }
            for attribute in type.attributes {
                guard let value = attributes[attribute.name], value != .null else { continue }
                guard case .number(let text) = value, let number = Int64(text) else {
                    throw failure("\(field).attributes.\(attribute.name)", JSONWriter.value(value), "must be an integer")
                }
                guard number >= 0, number <= attribute.maximum else {
                    throw failure("\(field).attributes.\(attribute.name)", text,
                                  "must be between 0 and \(attribute.maximum) (\(attribute.unit))")
                }
            }
        }
        if let ttl = toxic["ttl"] {
            do { _ = try ToxicDecoding.ttl(ttl) } catch let error as APIError {
                throw failure("\(field).ttl", JSONWriter.value(ttl), error.message)
            }
        }
    }
}
