import ArgumentParser
import ChaosControl
import ChaosCore
import ChaosFlags

struct FlagDisableCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Remove a flag (or every flag with --all) from the control file.",
        discussion: "Readers treat a missing flag as off. The journal entries for the removed flags are dropped. A name the file does not hold is refused (exit 7) and nothing is removed, unless --ignore-missing is given.")

    @OptionGroup var control: ControlFileOptions
    @OptionGroup var state: StateOptions
    @Argument(help: "Flag name(s).") var names: [String] = []
    @ArgumentParser.Flag(help: "Remove every flag.") var all = false
    @ArgumentParser.Flag(help: "Names that are not set are not an error (for clean-up scripts).") var ignoreMissing = false

    func validate() throws {
        if all == !names.isEmpty { throw ValidationError("name a flag, or pass --all (not both)") }
    }

    func run() throws {
        try Failures.reporting {
            let path = control.path
            for name in names { try FlagValidation.validateName(name) }
            var removed: [String] = []
            var missing: [String] = []
            let journal = state.journal
            try ControlFileWriter(path: path).update({ document in
                if all {
                    removed = document.flags.keys.sorted()
                    document.flags.removeAll()
                    return
                }
                if !ignoreMissing { try FlagsNotSet.check(names, in: document, path: path) }
                for name in names {
                    if document.flags.removeValue(forKey: name) != nil { removed.append(name) } else { missing.append(name) }
                }
            }, committed: { _ in
                // Under the writers' lock, so an enable cannot land between the removal and
                // the journal forgetting it (it would lose its record).
                try FlagReverter.forget(names: all ? nil : Set(names), path: path, journal: journal)
            })
            if removed.isEmpty { print("no flags to disable in \(path)") }
            else { print("disabled \(removed.joined(separator: ", ")) in \(path)") }
            if !missing.isEmpty { print("not set (already off): \(missing.joined(separator: ", "))") }
        }
    }
}
