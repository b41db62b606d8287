import Foundation

extension Flag {
    /// Sets a field from command-line text such as `percent=50` or `mode=fallback`, with the
    /// same checks and messages as the file decoder. `field` is the JSON name (`latency_ms`);
    /// `params.<key>` sets a parameter. Text that parses as a JSON scalar (`50`, `true`) is
    /// used as such; anything else is taken as a string.
    public mutating func assign(_ field: String, fromText text: String, flag name: String) throws {
        let value = Flag.scalar(fromText: text)
        if field.hasPrefix("params.") {
            let key = String(field.dropFirst("params.".count))
            var candidate = self
            switch value {
            case .string(let string): candidate.params[key] = .string(string)
            case .bool(let bool): candidate.params[key] = .bool(bool)
            default: candidate.params[key] = .number(value.numberValue ?? .nan)
            }
            try FlagValidation.validate(candidate, name: name)
            self = candidate
            return
        }
        guard FlagField.known.contains(field), field != FlagField.params else {
            let known = FlagField.known.subtracting([FlagField.params]).sorted().joined(separator: ", ")
            throw ControlFileError(.invalidValue, flag: name, field: field,
                                   reason: "is not a flag field (known: \(known), params.<key>)")
        }
        try ControlDocumentDecoder.assign(field, value, to: &self, flag: name)
    }

    private static func scalar(fromText text: String) -> JSONValue {
        if let data = text.data(using: .utf8),
           let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
           !(parsed is [Any]), !(parsed is [String: Any]), !(parsed is NSNull) {
            return JSONValue(foundation: parsed)
        }
        return .string(text)
    }
}
