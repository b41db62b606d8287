import Foundation

/// The state directory: one JSON file per applied fault (written before the fault takes
/// effect, removed after it is reverted) and an append-only log of one-shot events.
///
/// Location: `$CHAOSCTL_STATE_DIR`, else `/var/lib/chaosctl` for root, else
/// `$XDG_STATE_HOME/chaosctl` (default `~/.local/state/chaosctl`).
public final class FaultJournal: Sendable {
    public let directory: String
    private var faultsDirectory: String { directory + "/faults" }
    private var eventsPath: String { directory + "/events.jsonl" }

    public init(directory: String? = nil) {
        self.directory = directory ?? FaultJournal.defaultDirectory()
    }

    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["CHAOSCTL_STATE_DIR"], !explicit.isEmpty { return explicit }
        if getuid() == 0 { return "/var/lib/chaosctl" }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/chaosctl" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/chaosctl"
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
    private static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    private func path(for id: String) -> String { faultsDirectory + "/" + id + ".json" }

    /// Journal a record (new or updated). Durable when this returns.
    public func write(_ record: FaultRecord) throws {
        try withLock { try writeUnlocked(record) }
    }

    /// Read-modify-write one record under the journal's lock, so concurrent updates from
    /// other processes (state changes, hand-downs from other reverts) are not lost.
    /// Returns the record as written, or nil when it is no longer journaled.
    @discardableResult
    public func update(id: String, _ body: (inout FaultRecord) throws -> Void) throws -> FaultRecord? {
        try withLock {
            guard var record = try lookup(id: id) else { return nil }
            try body(&record)
            try writeUnlocked(record)
            return record
        }
    }

    /// Forget a record once its fault is reverted.
    public func remove(id: String) throws {
        try withLock {
            let p = path(for: id)
            if unlink(p) != 0 && errno != ENOENT { throw ChaosError.errno("cannot remove \(p)") }
            AtomicFile.fsyncDirectory(faultsDirectory)
        }
    }

    public func record(id: String) -> FaultRecord? {
        try? lookup(id: id)
    }

    /// The record with `id`, nil when none is journaled; throws when its file cannot be read
    /// or decoded (a damaged record is not the same as a reverted one).
    public func lookup(id: String) throws -> FaultRecord? {
        let p = path(for: id)
        guard FileManager.default.fileExists(atPath: p) else { return nil }
        guard let data = FileManager.default.contents(atPath: p) else {
            throw ChaosError("cannot read fault record \(p)", exitCode: .permission)
        }
        do { return try Self.decoder.decode(FaultRecord.self, from: data) }
        catch { throw ChaosError("\(p): not a valid fault record (\(error))") }
    }

    private func writeUnlocked(_ record: FaultRecord) throws {
        let data = try Self.encoder.encode(record)
        try AtomicFile.write(data, to: path(for: record.id), mode: 0o600)
    }

    /// Serialises record updates across processes: an exclusive flock on `faults/.lock`
    /// (never deleted; released on close, also when the process dies).
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        try AtomicFile.ensureDirectory(faultsDirectory, mode: 0o700)
        let lockPath = faultsDirectory + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ChaosError.errno("cannot open \(lockPath)", exitCode: .permission) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw ChaosError.errno("cannot lock \(lockPath)")
        }
        return try body()
    }

    /// Every journaled record, oldest first. Unparsable files are reported, not dropped silently.
    public func records() -> (records: [FaultRecord], problems: [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: faultsDirectory) else {
            return ([], [])
        }
        var records: [FaultRecord] = []
        var problems: [String] = []
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let p = faultsDirectory + "/" + name
            guard let data = FileManager.default.contents(atPath: p) else { continue }
            do { records.append(try Self.decoder.decode(FaultRecord.self, from: data)) }
            catch { problems.append("\(p): not a valid fault record (\(error))") }
        }
        records.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        return (records, problems)
    }

    // MARK: one-shot events (kills, evictions): nothing to revert, but `status` shows them.

    public struct Event: Codable, Equatable, Sendable {
        public var at: Date
        public var kind: String
        public var target: String
        public var summary: String
        public init(at: Date = Date(), kind: String, target: String, summary: String) {
            self.at = at
            self.kind = kind
            self.target = target
            self.summary = summary
        }
    }

    public func appendEvent(_ event: Event) throws {
        try AtomicFile.ensureDirectory(directory, mode: 0o700)
        let line = try JSONEncoder.withISODates.encode(event) + Data("\n".utf8)
        // O_APPEND writes of one small line are atomic with respect to other appenders.
        let fd = open(eventsPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ChaosError.errno("cannot open \(eventsPath)") }
        defer { close(fd) }
        _ = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    public func events(limit: Int = 50) -> [Event] {
        guard let data = FileManager.default.contents(atPath: eventsPath),
              let text = String(data: data, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n").suffix(limit)
        return lines.compactMap { try? Self.decoder.decode(Event.self, from: Data($0.utf8)) }
    }
}

extension JSONEncoder {
    static var withISODates: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
