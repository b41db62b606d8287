import Foundation

/// Validation shared by the decoder, the writer and the CLI (for user input).
/// Every error names the flag, field and value.
public enum FlagValidation {
    /// Checks a flag name against `^[a-z0-9._-]{1,128}$`.
    public static func validateName(_ name: String) throws {
        let bytes = Array(name.utf8)
        let allowed = bytes.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2E || byte == 0x5F || byte == 0x2D
        }
        guard !bytes.isEmpty, bytes.count <= FlagLimits.maxNameLength, allowed else {
            throw ControlFileError(.invalidValue, flag: name,
                                   reason: "invalid flag name: must match ^[a-z0-9._-]{1,128}$")
        }
    }

    /// Checks every field's range. Types are already guaranteed by the model.
    public static func validate(_ flag: Flag, name: String) throws {
        func fail(_ field: String, _ value: JSONValue, _ reason: String) -> ControlFileError {
            ControlFileError(.invalidValue, flag: name, field: field, value: value.jsonText, reason: reason)
        }
        guard flag.percent.isFinite, flag.percent >= 0, flag.percent <= 100 else {
            throw fail("percent", .double(flag.percent), "is out of range 0-100")
        }
        for (field, value) in [("latency_ms", flag.latencyMilliseconds), ("jitter_ms", flag.jitterMilliseconds)] {
            if let value, value < 0 || value > FlagLimits.maxMilliseconds {
                throw fail(field, .integer(Int64(value)), "is out of range 0-\(FlagLimits.maxMilliseconds)")
            }
        }
        if let maxHits = flag.maxHits, maxHits < 1 || maxHits > FlagLimits.maxHits {
            throw fail("max_hits", .integer(Int64(maxHits)), "is out of range 1-\(FlagLimits.maxHits)")
        }
        if let seed = flag.seed, seed > FlagLimits.maxSeed {
            throw fail("seed", .number(String(seed)), "is out of range 0-\(FlagLimits.maxSeed)")
        }
        for (key, value) in flag.params {
            guard !key.isEmpty, key.utf8.count <= FlagLimits.maxNameLength else {
                throw fail("params", .string(key), "is not a valid parameter name (1-128 bytes)")
            }
            if case .number(let number) = value, !number.isFinite {
                throw fail("params.\(key)", .double(number), "is not a finite number")
            }
        }
        for key in flag.unknownFields.keys where FlagField.known.contains(key) {
            throw fail(key, .string(key), "is a known field and cannot be stored as an unknown one")
        }
    }
}

/// The JSON field names of a flag in protocol version 1.
enum FlagField {
    static let enabled = "enabled", percent = "percent", latency = "latency_ms", jitter = "jitter_ms"
    static let mode = "mode", severity = "severity", expiresAt = "expires_at", maxHits = "max_hits"
    static let params = "params", seed = "seed"
    static let known: Set<String> = [enabled, percent, latency, jitter, mode, severity, expiresAt, maxHits, params, seed]
}

/// The JSON field names at the top level of a control file.
enum DocumentField {
    static let version = "version", generation = "generation", updatedAt = "updated_at"
    static let updatedBy = "updated_by", flags = "flags"
    static let known: Set<String> = [version, generation, updatedAt, updatedBy, flags]
}
