import Foundation

/// `ControlDocument` → JSON bytes: sorted keys, pretty, trailing newline, slashes unescaped.
enum ControlDocumentEncoder {
    static func encode(_ document: ControlDocument) throws -> Data {
        var root = document.unknownFields.mapValues(\.foundationValue)
        root[DocumentField.version] = NSNumber(value: document.version)
        root[DocumentField.generation] = NSNumber(value: document.generation)
        if let updatedAt = document.updatedAt { root[DocumentField.updatedAt] = RFC3339.format(updatedAt) }
        if let updatedBy = document.updatedBy { root[DocumentField.updatedBy] = updatedBy }
        root[DocumentField.flags] = document.flags.mapValues(flagObject)
        var data = try JSONSerialization.data(withJSONObject: root,
                                              options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    /// The JSON object of one flag (unknown fields first, so known ones win on a clash).
    static func flagObject(_ flag: Flag) -> [String: Any] {
        var object = flag.unknownFields.mapValues(\.foundationValue)
        object[FlagField.enabled] = flag.enabled
        object[FlagField.percent] = JSONValue.double(flag.percent).foundationValue
        if let value = flag.latencyMilliseconds { object[FlagField.latency] = NSNumber(value: value) }
        if let value = flag.jitterMilliseconds { object[FlagField.jitter] = NSNumber(value: value) }
        if let value = flag.mode { object[FlagField.mode] = value.rawValue }
        if let value = flag.severity { object[FlagField.severity] = value.rawValue }
        if let value = flag.expiresAt { object[FlagField.expiresAt] = RFC3339.format(value) }
        if let value = flag.maxHits { object[FlagField.maxHits] = NSNumber(value: value) }
        if let value = flag.seed { object[FlagField.seed] = NSNumber(value: value) }
        if !flag.params.isEmpty { object[FlagField.params] = flag.params.mapValues { $0.jsonValue.foundationValue } }
        return object
    }
}
