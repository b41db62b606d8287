import Foundation

/// The whole control file: `{"version": 1, "generation": N, "flags": {...}}` plus
/// optional `updated_at` / `updated_by` and any unknown top-level fields (preserved).
public struct ControlDocument: Equatable, Sendable {
    /// The protocol version this library reads and writes.
    public static let currentVersion = 1

    /// Protocol version (`"version"`).
    public var version: Int
    /// Bumped by every write; readers use it to tell documents apart (`"generation"`).
    public var generation: UInt64
    /// When the last writer wrote the file (`"updated_at"`, RFC 3339).
    public var updatedAt: Date?
    /// Who wrote it, free text such as `chaosctl alice@host pid 42` (`"updated_by"`).
    public var updatedBy: String?
    /// Flag name → flag. Names match `^[a-z0-9._-]{1,128}$`.
    public var flags: [String: Flag]
    /// Top-level fields not defined by version 1, preserved verbatim on rewrite.
    public var unknownFields: [String: JSONValue]

    /// An empty document: version 1, generation 0, no flags (what a missing file means).
    public init(version: Int = ControlDocument.currentVersion, generation: UInt64 = 0,
                updatedAt: Date? = nil, updatedBy: String? = nil, flags: [String: Flag] = [:],
                unknownFields: [String: JSONValue] = [:]) {
        self.version = version
        self.generation = generation
        self.updatedAt = updatedAt.map(RFC3339.truncatedToMilliseconds)
        self.updatedBy = updatedBy
        self.flags = flags
        self.unknownFields = unknownFields
    }

    /// Parses and validates control-file bytes. Any invalid flag rejects the whole file.
    /// - Parameter path: used only to prefix error messages.
    public static func decode(_ data: Data, path: String? = nil) throws -> ControlDocument {
        do {
            return try ControlDocumentDecoder.decode(data)
        } catch let error as ControlFileError {
            throw error.at(path: path)
        }
    }

    /// Validates and encodes deterministically: sorted keys, two-space pretty printing,
    /// trailing newline. The same document always yields the same bytes.
    public func encoded() throws -> Data {
        try validate()
        return try ControlDocumentEncoder.encode(self)
    }

    /// Checks every rule a reader would check (names, ranges, types of unknown-free fields).
    public func validate() throws {
        guard version == ControlDocument.currentVersion else {
            throw ControlFileError(.unsupportedVersion, field: "version", value: String(version),
                                   reason: "is not supported (this library writes version \(ControlDocument.currentVersion))")
        }
        guard generation <= FlagLimits.maxGeneration else {
            throw ControlFileError(.invalidValue, field: "generation", value: String(generation),
                                   reason: "is out of range 0-\(FlagLimits.maxGeneration)")
        }
        for name in flags.keys.sorted() {
            try FlagValidation.validateName(name)
            try FlagValidation.validate(flags[name]!, name: name)
        }
    }
}
