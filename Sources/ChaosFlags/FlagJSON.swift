import ChaosControl
import ChaosCore
import Foundation

/// Flags ↔ JSON text for the journal, through ChaosControl's own codec so the journal
/// stores exactly what the control file would (unknown fields included). A `nil` flag
/// (absent from the file) is stored as JSON `null`.
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
