import ChaosCore
import ChaosJSON
import ChaosProxy
import ChaosProxyModel

/// Turns request bodies into toxics with Toxiproxy's defaults, check order and error
/// texts, plus chaosctl's range checks and `ttl`.
public enum ToxicDecoding {
    /// Longest accepted ttl: a forgotten toxic should not outlive a week.
    public static let maximumTTLMs: Int64 = 7 * 86_400_000

    /// A new toxic, checked in Toxiproxy's order: body types, stream, default name,
    /// type, name already taken (`exists`), attributes; then chaosctl's ranges and ttl.
    public static func decodeNew(_ body: JSONValue, exists: (String) -> Bool) throws -> Toxic {
        let reader: GoFieldReader
        let name: String?, typeName: String?, streamName: String?, toxicity: Float?
        do {
            reader = try GoFieldReader(body, structName: "ToxicWrapper", goType: "toxics.ToxicWrapper")
            name = try reader.string("name")
            typeName = try reader.string("type")
            streamName = try reader.string("stream")
            toxicity = try reader.float32("toxicity")
        } catch {
            throw APIError.badRequestBody(error)
        }
        // Absent or null means downstream; an empty string is invalid, as in Toxiproxy.
        guard let stream = ToxicStream(rawValue: (streamName ?? "downstream").lowercased()) else {
            throw APIError.invalidStream
        }
        let resolvedName = (name?.isEmpty ?? true)
            ? Toxic.defaultName(type: typeName ?? "", stream: stream.rawValue) : name!
        guard let type = typeName.flatMap(ToxicType.init(rawValue:)) else { throw APIError.invalidToxicType }
        try ResourceName.check(resolvedName, as: "toxic name")
        if exists(resolvedName) { throw APIError.toxicExists }
        let attributes = try decodeAttributes(reader.raw("attributes"), type: type, base: [:])
        var toxic = Toxic(name: resolvedName, type: type, stream: stream, toxicity: toxicity ?? 1,
                          attributes: attributes)
        toxic.ttlMs = try ttl(reader.raw("ttl"))
        toxic.seed = try seed(reader.raw("attributes"), type: type)
        return toxic
    }

    /// Toxiproxy's update: only `attributes` (merged key by key) and `toxicity` change;
    /// name, type and stream in the body are ignored. chaosctl adds `ttl` (re-arms).
    public static func applyUpdate(_ body: JSONValue, to toxic: Toxic) throws -> Toxic {
        var updated = toxic
        do {
            let reader = try GoFieldReader(body, structName: "ToxicWrapper", goType: "toxics.ToxicWrapper")
            if let toxicity = try reader.float32("toxicity") { updated.toxicity = toxicity }
            updated.attributes = try decodeAttributes(reader.raw("attributes"), type: toxic.type, base: toxic.attributes)
            if let newTTL = try ttl(reader.raw("ttl")) { updated.ttlMs = newTTL }
            if let newSeed = try seed(reader.raw("attributes"), type: toxic.type) { updated.seed = newSeed }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequestBody(error)
        }
        return updated
    }

    /// Reads the type's attributes over `base`; unknown names are ignored as in Toxiproxy.
    static func decodeAttributes(_ raw: JSONValue?, type: ToxicType, base: [String: Int64]) throws -> [String: Int64] {
        var values = base
        guard let raw else { return values }
        let structName = "\(type.goStructName).attributes"
        guard case .object = raw else {
            throw APIError.badRequestBody(JSONTypeError(message:
                "json: cannot unmarshal \(raw.goKindName) into Go struct field ToxicWrapper.attributes of type toxics.\(type.goStructName)"))
        }
        let reader = GoFieldReader(nested: raw, structName: structName)
        for attribute in type.attributes {
            let value: Int64?
            do { value = try reader.int64(attribute.name, goType: attribute.goType) } catch {
                throw APIError.badRequestBody(error)
            }
            guard let value else { continue }
            if let problem = attribute.rangeProblem(value, type: type) { throw APIError(status: 400, message: problem) }
            values[attribute.name] = value
        }
        return values
    }

    /// chaosctl's `seed` attribute (0 … 2^53 - 1), or nil when the body has none.
    static func seed(_ raw: JSONValue?, type: ToxicType) throws -> UInt64? {
        guard let raw, case .object = raw else { return nil }
        let reader = GoFieldReader(nested: raw, structName: "\(type.goStructName).attributes")
        let value: Int64?
        do { value = try reader.int64(ToxicSeed.attribute, goType: "uint64") } catch { throw APIError.badRequestBody(error) }
        guard let value else { return nil }
        guard value >= 0, value <= ToxicSeed.maximum else {
            throw APIError(status: 400, message:
                "invalid attribute \(ToxicSeed.attribute)=\(value) for \(type.rawValue) toxic: must be between 0 and \(ToxicSeed.maximum)")
        }
        return UInt64(value)
    }

    /// chaosctl's `ttl`: a number of milliseconds, or a duration string ("30s", "5m").
    static func ttl(_ raw: JSONValue?) throws -> Int64? {
        guard let raw else { return nil }
        let milliseconds: Double
        switch raw {
        case .number(let text):
            guard let value = Double(text) else { throw invalidTTL(text) }
            milliseconds = value
        case .string(let text):
            guard let seconds = try? DurationParser.seconds(text, field: "ttl", defaultUnit: "ms") else {
                throw invalidTTL(text)
            }
            milliseconds = seconds * 1000
        default:
            throw invalidTTL(JSONWriter.value(raw))
        }
        guard milliseconds.isFinite, milliseconds >= 1, milliseconds <= Double(maximumTTLMs) else {
            throw invalidTTL(JSONWriter.value(raw))
        }
        return Int64(milliseconds.rounded())
    }

    private static func invalidTTL(_ text: String) -> APIError {
        APIError(status: 400, message:
            "invalid ttl \(text): use milliseconds (a number) or a duration such as \"30s\", between 1ms and 7d")
    }
}
