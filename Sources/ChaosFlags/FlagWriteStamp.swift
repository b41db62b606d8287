import ChaosControl

/// The mark chaosctl leaves on every flag it writes: the field `chaosctl_write` holding the
/// id of the journal record that wrote it. Readers ignore it and writers preserve it (it is
/// an unknown field to the protocol), so a later revert can tell its own write from a
/// teammate's identical-looking one, across processes and after a crash.
public enum FlagWriteStamp {
    public static let field = "chaosctl_write"

    static func stamped(_ flag: Flag, recordID: String) -> Flag {
        var copy = flag
        copy.unknownFields[field] = .string(recordID)
        return copy
    }

    /// The record id stamped on `flag`, if chaosctl wrote it.
    public static func recordID(of flag: Flag) -> String? {
        if case .string(let id)? = flag.unknownFields[field] { return id }
        return nil
    }
}
