import ChaosControl
import ChaosCore
import Foundation

/// Setting one or more flags in a control file, as one atomic write and one journaled fault.
/// The journal keeps each touched flag's previous definition (or its absence) and the exact
/// definition written, stamped with the record's id (`FlagWriteStamp`), so a revert restores
/// what chaosctl found only where the file still holds this fault's own write.
public struct FlagSetFault: FaultJournaledApply {
    public let path: String
    public let settings: [FlagSetting]
    /// Also remove flags the set does not name (profiles with `replace: true`).
    public let replace: Bool
    public let now: Date

    public init(path: String, settings: [FlagSetting], replace: Bool = false, now: Date = Date()) {
        self.path = path
        self.settings = settings
        self.replace = replace
        self.now = now
    }

    public var kind: String { FlagReverter.kindName }
    public var target: String {
        let names = settings.map(\.name).joined(separator: ", ")
        return "flag\(settings.count == 1 ? "" : "s") \(names) in \(path)"
    }
    public var summary: String { settings.map(Self.describe).joined(separator: "; ") }

    /// Latest expiry among the flags, or nil if any flag has none (the record outlives it).
    public var expiresAt: Date? {
        var latest: Date?
        for s in settings {
            guard let seconds = s.forSeconds else { return nil }
            let at = now.addingTimeInterval(seconds)
            latest = max(latest ?? at, at)
        }
        return latest
    }

    /// The prior state without a stamp; `FaultLifecycle` uses `apply(recordID:journal:)`,
    /// which captures, journals and writes under one hold of the writers' lock.
    public func revertData() throws -> [String: String] {
        let current = try ControlFileWriter(path: path).read()
        return try Self.revertData(path: path, previous: previous(in: current), wrote: nil)
    }

    /// Unjournaled apply (no stamp): for callers outside the lifecycle.
    public func apply() throws {
        let flags = try settings.map { ($0.name, try $0.flag(now: now)) }
        try ControlFileWriter(path: path).update { document in
            if replace { document.flags.removeAll() }
            for (name, flag) in flags { document.flags[name] = flag }
        }
    }

    /// Under the writers' lock: read what is there, journal it together with the stamped
    /// definitions about to be written, then write them. Another writer cannot change a
    /// touched flag between the capture and the write.
    public func apply(recordID: String, journal: ([String: String]) throws -> Void) throws {
        let flags = try settings.map { ($0.name, FlagWriteStamp.stamped(try $0.flag(now: now), recordID: recordID)) }
        try ControlFileWriter(path: path).update { document in
            let previous = previous(in: document)
            var wrote: [String: Flag?] = [:]
            for name in previous.keys { wrote.updateValue(nil, forKey: name) }
            for (name, flag) in flags { wrote.updateValue(flag, forKey: name) }
            try journal(try Self.revertData(path: path, previous: previous, wrote: wrote))
            if replace { document.flags.removeAll() }
            for (name, flag) in flags { document.flags[name] = flag }
        }
    }

    /// Every flag this write touches, with its current definition (nil: absent).
    private func previous(in document: ControlDocument) -> [String: Flag?] {
        var touched = Set(settings.map(\.name))
        if replace { touched.formUnion(document.flags.keys) }
        var previous: [String: Flag?] = [:]
        for name in touched { previous.updateValue(document.flags[name], forKey: name) }
        return previous
    }

    /// Journal keys: `path`, `previous` (what was there) and `wrote` (exactly what this
    /// fault wrote; nil in an absent entry for a flag `replace` removed).
    static func revertData(path: String, previous: [String: Flag?], wrote: [String: Flag?]?) throws -> [String: String] {
        var data = ["path": path, "previous": try FlagJSON.encode(previous)]
        if let wrote { data["wrote"] = try FlagJSON.encode(wrote) }
        return data
    }

    public static func describe(_ s: FlagSetting) -> String {
        var parts = ["\(s.name):"]
        if !s.enabled { parts.append("disabled") }
        parts.append("\(FlagParam.number(s.percent ?? 100))%")
        if let l = s.latencyMs { parts.append("+\(l)ms" + (s.jitterMs.map { "±\($0)ms" } ?? "")) }
        else if let j = s.jitterMs { parts.append("±\(j)ms") }
        if let m = s.mode { parts.append("mode=\(m)") }
        if let v = s.severity { parts.append("severity=\(v)") }
        if let h = s.maxHits { parts.append("max_hits=\(h)") }
        for (k, v) in s.params.sorted(by: { $0.key < $1.key }) { parts.append("\(k)=\(v)") }
        if let f = s.forSeconds { parts.append("for \(DurationParser.format(f))") }
        return parts.joined(separator: " ")
    }
}

