/// Every error this library reports: an invalid document or flag, an unsupported
/// version, or a file-system failure. The description names the file, flag, field and
/// value, e.g. `/tmp/c.json: flag "slow-db": field "percent": 150 is out of range 0-100`.
///
/// The CLI reuses it to validate user input (then `path` is nil).
public struct ControlFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, so callers (the CLI) can map it to an exit code.
    public enum Kind: String, Sendable {
        /// The bytes are not JSON, or the top level is not an object.
        case malformedJSON
        /// A field is missing, has the wrong type, or is out of range.
        case invalidValue
        /// `version` is higher than this library understands.
        case unsupportedVersion
        /// The file or its directory could not be read, written, locked or created.
        case io
    }

    /// The category, for exit codes and for telling I/O trouble from bad content.
    public var kind: Kind
    /// The control file (or directory) concerned, when there is one.
    public var path: String?
    /// The flag concerned, when the error is about one flag.
    public var flag: String?
    /// The field concerned (e.g. `percent`, `params.region`), when there is one.
    public var field: String?
    /// The offending value as compact JSON text (e.g. `150`, `"boom"`), when there is one.
    public var value: String?
    /// Why it is wrong, phrased to follow the value: "is out of range 0-100".
    public var reason: String

    /// Builds an error; `reason` should read naturally after `value` ("is out of range 0-100").
    public init(_ kind: Kind, path: String? = nil, flag: String? = nil, field: String? = nil,
                value: String? = nil, reason: String) {
        self.kind = kind
        self.path = path
        self.flag = flag
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// `<path>: flag "<flag>": field "<field>": <value> <reason>`, omitting absent parts.
    public var description: String {
        var parts: [String] = []
        if let path { parts.append(path) }
        if let flag { parts.append("flag \(quoted(flag))") }
        if let field { parts.append("field \(quoted(field))") }
        parts.append(value.map { "\($0) \(reason)" } ?? reason)
        return parts.joined(separator: ": ")
    }

    /// The same error, attributed to a file.
    public func at(path: String?) -> ControlFileError {
        var copy = self
        copy.path = path
        return copy
    }

    private func quoted(_ text: String) -> String {
        JSONValue.string(text).jsonText
    }
}

/// The name the brief and the CLI use for validation failures; it is the same type.
public typealias FlagValidationError = ControlFileError
