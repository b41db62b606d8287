import ChaosControl
import ChaosCore
import Foundation

/// Setting one or more flags in a control file, as one atomic write and one journaled fault.
/// The journal keeps each touched flag's previous definition (or its absence), so a revert
/// restores the file exactly as chaosctl found it.
public struct FlagSetFault: Fault {
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

    public func revertData() throws -> [String: String] {
        let current = try ControlFileWriter(path: path).read()
        var touched = Set(settings.map(\.name))
        if replace { touched.formUnion(current.flags.keys) }
        var previous: [String: Flag?] = [:]
        for name in touched { previous.updateValue(current.flags[name], forKey: name) }
        return ["path": path, "previous": try FlagJSON.encode(previous)]
    }

    public func apply() throws {
        let flags = try settings.map { ($0.name, try $0.flag(now: now)) }
        try ControlFileWriter(path: path).update { document in
            if replace { document.flags.removeAll() }
            for (name, flag) in flags { document.flags[name] = flag }
        }
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

/// Restores the flags a `FlagSetFault` touched to their journaled previous state.
public struct FlagReverter: FaultReverter {
    public static let kindName = "flag"
    public var kind: String { Self.kindName }
    public init() {}

    public func revert(_ record: FaultRecord) throws {
        guard let path = record.revertData["path"], let text = record.revertData["previous"] else {
            throw ChaosError("fault record \(record.id) lacks the control-file path or previous flags")
        }
        let previous = try FlagJSON.decode(text)
        try ControlFileWriter(path: path).update { document in
            for (name, flag) in previous { document.flags[name] = flag }
        }
    }

    /// Drop `names` from every journaled flag record for `path` (after `flag disable`),
    /// removing records left with nothing to revert.
    public static func forget(names: Set<String>?, path: String, journal: FaultJournal) throws {
        for record in journal.records().records where record.kind == kindName && record.revertData["path"] == path {
            guard let names else { try journal.remove(id: record.id); continue }
            var previous = try FlagJSON.decode(record.revertData["previous"] ?? "{}")
            let before = previous.count
            for name in names { previous[name] = nil }
            if previous.isEmpty { try journal.remove(id: record.id) }
            else if previous.count != before {
                var updated = record
                updated.revertData["previous"] = try FlagJSON.encode(previous)
                try journal.write(updated)
            }
        }
    }
}

/// Flags ↔ JSON text for the journal, through ChaosControl's own codec so the journal
/// stores exactly what the control file would (unknown fields included).
enum FlagJSON {
    static func encode(_ flags: [String: Flag?]) throws -> String {
        let present = flags.compactMapValues { $0 }
        let data = try ControlDocument(flags: present).encoded()
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var encodedFlags = object["flags"] as? [String: Any] else {
            throw ChaosError("internal: cannot re-read encoded flags")
        }
        for (name, flag) in flags where flag == nil { encodedFlags[name] = NSNull() }
        object = ["flags": encodedFlags]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [String: Flag?] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let flags = object["flags"] as? [String: Any] else {
            throw ChaosError("journal: previous flags are not a JSON object")
        }
        let present = flags.filter { !($0.value is NSNull) }
        let wrapper: [String: Any] = ["version": ControlDocument.currentVersion, "generation": 0, "flags": present]
        let document = try ControlDocument.decode(try JSONSerialization.data(withJSONObject: wrapper))
        var out: [String: Flag?] = [:]
        for name in flags.keys { out.updateValue(document.flags[name], forKey: name) }
        return out
    }
}
