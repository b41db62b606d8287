import Foundation

/// JSON bytes → `ControlDocument`, with errors naming flag, field and value.
/// Uses `JSONSerialization` so unknown fields can be captured as `JSONValue`s.
enum ControlDocumentDecoder {
    static func decode(_ data: Data) throws -> ControlDocument {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw ControlFileError(.malformedJSON, reason: "is not valid JSON (\(describe(error)))")
        }
        guard let object = root as? [String: Any] else {
            throw ControlFileError(.malformedJSON, reason: "the top level must be a JSON object")
        }
        let fields = object.mapValues { JSONValue(foundation: $0) }

        // The version decides how to read everything else, so it is checked first.
        guard let versionValue = fields[DocumentField.version] else {
            throw ControlFileError(.invalidValue, field: DocumentField.version, reason: "is required")
        }
        let version = try integer(versionValue, field: DocumentField.version, flag: nil, range: 1...Int64.max)
        guard version <= Int64(ControlDocument.currentVersion) else {
            throw ControlFileError(.unsupportedVersion,
                                   reason: "unsupported version \(version) (this reader understands version \(ControlDocument.currentVersion))")
        }

        var document = ControlDocument()
        document.version = Int(version)
        guard let generationValue = fields[DocumentField.generation] else {
            throw ControlFileError(.invalidValue, field: DocumentField.generation, reason: "is required")
        }
        document.generation = UInt64(try integer(generationValue, field: DocumentField.generation, flag: nil,
                                                  range: 0...Int64(FlagLimits.maxGeneration)))
        if let value = fields[DocumentField.updatedAt] {
            document.updatedAt = try timestamp(value, field: DocumentField.updatedAt, flag: nil)
        }
        if let value = fields[DocumentField.updatedBy] {
            guard case .string(let text) = value else {
                throw ControlFileError(.invalidValue, field: DocumentField.updatedBy, value: value.jsonText,
                                       reason: "must be a string")
            }
            document.updatedBy = text
        }
        guard let flagsValue = fields[DocumentField.flags] else {
            throw ControlFileError(.invalidValue, field: DocumentField.flags, reason: "is required")
        }
        guard let flagObjects = flagsValue.objectMembers else {
            throw ControlFileError(.invalidValue, field: DocumentField.flags, value: flagsValue.jsonText,
                                   reason: "must be an object mapping flag names to flags")
        }
        // Sorted so the first error reported is the same on every run.
        for name in flagObjects.keys.sorted() {
            document.flags[name] = try decodeFlag(flagObjects[name]!, name: name)
        }
        document.unknownFields = fields.filter { !DocumentField.known.contains($0.key) }
        return document
    }

    static func decodeFlag(_ value: JSONValue, name: String) throws -> Flag {
        try FlagValidation.validateName(name)
        guard let fields = value.objectMembers else {
            throw ControlFileError(.invalidValue, flag: name, value: value.jsonText, reason: "must be an object")
        }
        guard let enabled = fields[FlagField.enabled] else {
            throw ControlFileError(.invalidValue, flag: name, field: FlagField.enabled, reason: "is required")
        }
        var flag = Flag()
        try assign(FlagField.enabled, enabled, to: &flag, flag: name)
        for key in fields.keys.sorted() where key != FlagField.enabled {
            if FlagField.known.contains(key) {
                try assign(key, fields[key]!, to: &flag, flag: name)
            } else {
                flag.unknownFields[key] = fields[key]!
            }
        }
        try FlagValidation.validate(flag, name: name)
        return flag
    }

    /// Sets one known field from a JSON value, checking its type and range.
    static func assign(_ field: String, _ value: JSONValue, to flag: inout Flag, flag name: String) throws {
        func fail(_ reason: String) -> ControlFileError {
            ControlFileError(.invalidValue, flag: name, field: field, value: value.jsonText, reason: reason)
        }
        switch field {
        case FlagField.enabled:
            guard case .bool(let enabled) = value else { throw fail("must be true or false") }
            flag.enabled = enabled
        case FlagField.percent:
            guard let number = value.numberValue else { throw fail("must be a number 0-100") }
            guard number.isFinite, number >= 0, number <= 100 else { throw fail("is out of range 0-100") }
            flag.percent = number
        case FlagField.latency:
            flag.latencyMilliseconds = Int(try integer(value, field: field, flag: name,
                                                       range: 0...Int64(FlagLimits.maxMilliseconds)))
        case FlagField.jitter:
            flag.jitterMilliseconds = Int(try integer(value, field: field, flag: name,
                                                      range: 0...Int64(FlagLimits.maxMilliseconds)))
        case FlagField.mode:
            guard case .string(let text) = value, let mode = FlagMode(rawValue: text) else {
                throw fail("is not one of " + FlagMode.allCases.map(\.rawValue).joined(separator: ", "))
            }
            flag.mode = mode
        case FlagField.severity:
            guard case .string(let text) = value, let severity = FlagSeverity(rawValue: text) else {
                throw fail("is not one of " + FlagSeverity.allCases.map(\.rawValue).joined(separator: ", "))
            }
            flag.severity = severity
        case FlagField.expiresAt:
            flag.expiresAt = try timestamp(value, field: field, flag: name)
        case FlagField.maxHits:
            flag.maxHits = Int(try integer(value, field: field, flag: name, range: 1...Int64(FlagLimits.maxHits)))
        case FlagField.seed:
            flag.seed = UInt64(try integer(value, field: field, flag: name, range: 0...Int64(FlagLimits.maxSeed)))
        case FlagField.params:
            guard let entries = value.objectMembers else { throw fail("must be an object") }
            var params: [String: FlagParam] = [:]
            for key in entries.keys.sorted() {
                let entry = entries[key]!
                switch entry {
                case .string(let text): params[key] = .string(text)
                case .bool(let bool): params[key] = .bool(bool)
                case .number: params[key] = .number(entry.numberValue ?? .nan)
                default:
                    throw ControlFileError(.invalidValue, flag: name, field: "params.\(key)", value: entry.jsonText,
                                           reason: "must be a string, number or boolean")
                }
            }
            flag.params = params
        default:
            throw fail("is not a field of protocol version \(ControlDocument.currentVersion)")
        }
    }

    /// An integer field; integral doubles such as `5.0` are accepted as JSON Schema does.
    static func integer(_ value: JSONValue, field: String, flag: String?, range: ClosedRange<Int64>) throws -> Int64 {
        let integer: Int64
        switch value {
        case .number(let text) where Int64(text) != nil:
            integer = Int64(text)!
        case .number(let text) where Double(text).map { $0.rounded() == $0 && abs($0) < 9.2e18 } == true:
            integer = Int64(Double(text)!)
        case .number:
            throw ControlFileError(.invalidValue, flag: flag, field: field, value: value.jsonText,
                                   reason: "is not an integer")
        default:
            throw ControlFileError(.invalidValue, flag: flag, field: field, value: value.jsonText,
                                   reason: "must be an integer")
        }
        guard range.contains(integer) else {
            let upper = range.upperBound == Int64.max ? "" : "-\(range.upperBound)"
            let text = upper.isEmpty ? "must be at least \(range.lowerBound)" : "is out of range \(range.lowerBound)\(upper)"
            throw ControlFileError(.invalidValue, flag: flag, field: field, value: value.jsonText, reason: text)
        }
        return integer
    }

    static func timestamp(_ value: JSONValue, field: String, flag: String?) throws -> Date {
        guard case .string(let text) = value, let date = RFC3339.parse(text) else {
            throw ControlFileError(.invalidValue, flag: flag, field: field, value: value.jsonText,
                                   reason: "is not an RFC 3339 timestamp (e.g. 2026-01-31T12:00:00Z)")
        }
        return date
    }

    private static func describe(_ error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return text ?? "\(error.localizedDescription)"
    }
}
