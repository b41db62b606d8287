import ChaosControl
import ChaosCore

/// Disabling flags the control file does not hold: a typo (`slow-sae` for `slow_sae`) must
/// not look like success while the real flag keeps firing. Names the closest flag that is set.
public struct FlagsNotSet: ChaosFailure {
    public var names: [String]
    public var path: String
    /// The flags the file does hold, for the suggestion.
    public var setNames: [String]

    public var exitCode: ExitCode { .notFound }
    public var description: String {
        let each = names.map { "flag \"\($0)\" is not set in \(path)\(NameSuggestion.hint(for: $0, among: setNames))" }
        return each.joined(separator: "; ") + "; nothing was changed"
    }

    /// Throws when any of `names` is absent from `document`.
    public static func check(_ names: [String], in document: ControlDocument, path: String) throws {
        let missing = names.filter { document.flags[$0] == nil }
        if !missing.isEmpty { throw FlagsNotSet(names: missing, path: path, setNames: Array(document.flags.keys)) }
    }
}
