import ChaosJSON

/// A JSON type mismatch worded like Go's `json.UnmarshalTypeError`, e.g.
/// "json: cannot unmarshal number into Go struct field Proxy.name of type string".
public struct JSONTypeError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Reads typed fields out of a JSON object with Go's rules: keys match
/// case-insensitively, `null` counts as absent, unknown keys are ignored, and a wrong
/// type fails with the text Toxiproxy returns.
public struct GoFieldReader {
    /// Go struct name used in error texts ("Proxy", "LatencyToxic.attributes").
    public let structName: String
    public let value: JSONValue

    /// Accepts an object (or `null`, which Go treats as "leave everything unset");
    /// anything else fails as "cannot unmarshal array into Go value of type <goType>".
    public init(_ value: JSONValue, structName: String, goType: String) throws {
        switch value {
        case .object, .null:
            self.value = value
            self.structName = structName
        default:
            throw JSONTypeError(message: "json: cannot unmarshal \(value.goKindName) into Go value of type \(goType)")
        }
    }

    /// Reader for a nested object field, named "<struct>.<key>" in errors.
    init(nested value: JSONValue, structName: String) {
        self.value = value
        self.structName = structName
    }

    public func has(_ key: String) -> Bool {
        if let found = value[key], found != .null { return true }
        return false
    }

    public func raw(_ key: String) -> JSONValue? {
        guard let found = value[key], found != .null else { return nil }
        return found
    }

    func mismatch(_ key: String, _ found: JSONValue, _ goType: String, showNumber: Bool = false) -> JSONTypeError {
        var kind = found.goKindName
        if showNumber, case .number(let text) = found { kind += " " + text }
        return JSONTypeError(message: "json: cannot unmarshal \(kind) into Go struct field \(structName).\(key) of type \(goType)")
    }

    public func string(_ key: String) throws -> String? {
        guard let found = raw(key) else { return nil }
        guard case .string(let text) = found else { throw mismatch(key, found, "string") }
        return text
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let found = raw(key) else { return nil }
        guard case .bool(let flag) = found else { throw mismatch(key, found, "bool") }
        return flag
    }

    public func float32(_ key: String) throws -> Float? {
        guard let found = raw(key) else { return nil }
        guard case .number(let text) = found else { throw mismatch(key, found, "float32") }
        guard let number = Double(text), abs(number) <= Double(Float.greatestFiniteMagnitude) else {
            throw mismatch(key, found, "float32", showNumber: true)
        }
        return Float(number)
    }

    /// An integer field; `goType` is "int64" or "int" as in Toxiproxy's structs.
    public func int64(_ key: String, goType: String = "int64") throws -> Int64? {
        guard let found = raw(key) else { return nil }
        guard case .number(let text) = found else { throw mismatch(key, found, goType) }
        guard let number = Int64(text) else { throw mismatch(key, found, goType, showNumber: true) }
        return number
    }
}
