import ArgumentParser
import ChaosCore
import ChaosFlags
import Foundation

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Apply sets of flags from fault-profiles/*.yaml in one atomic write.",
        subcommands: [ProfileApplyCommand.self, ProfileListCommand.self])
}

struct ProfileApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Set every flag of a profile in one atomic, journaled write.")

    @OptionGroup var control: ControlFileOptions
    @OptionGroup var state: StateOptions
    @Argument(help: "A profile file, or a profile name: looked up in --dir, then among the profiles built into chaosctl.")
    var profile: String
    @Option(help: "Where profile names are looked up first.") var dir = "fault-profiles"
    @Option(name: .customLong("for"), help: ArgumentHelp("Override the profile's duration for every flag.", valueName: "duration"))
    var duration: String?
    @Flag(help: "Stay in the foreground and revert on expiry, SIGINT or SIGTERM.") var wait = false

    func run() throws {
        try Failures.reporting {
            let (found, source) = try ProfileLookup.load(profile, directory: dir)
            var loaded = found
            if let duration {
                let seconds = try DurationParser.seconds(duration, field: "--for")
                for i in loaded.flags.indices { loaded.flags[i].forSeconds = seconds }
            }
            try FlagApply.apply(settings: loaded.flags, replace: loaded.replace, control: control, state: state,
                                wait: wait, label: "profile \(loaded.name) (\(source), \(loaded.flags.count) flags)")
        }
    }
}

struct ProfileListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the profiles in a directory and those built into chaosctl.")
    @Option(help: "Profile directory.") var dir = "fault-profiles"

    func run() throws {
        try Failures.reporting {
            let files = FaultProfile.list(directory: dir)
            // A built-in profile shadowed by a file of the same name is not the one applied.
            let builtIn = ShippedProfiles.names.filter { name in !files.contains { $0.name == name } }
            var table = TextTable(headers: ["PROFILE", "FLAGS", "DESCRIPTION"])
            for (name, reference) in files.map({ ($0.name, $0.file) }) + builtIn.map({ ($0, $0) }) {
                do {
                    let (p, source) = try ProfileLookup.load(reference, directory: dir)
                    let origin = source == .file(reference) ? "" : " (\(source))"
                    table.add([name, p.flags.map(\.name).joined(separator: ","), p.description + origin])
                } catch {
                    table.add([name, "INVALID", String(describing: error).split(separator: "\n").first.map(String.init) ?? ""])
                }
            }
            print(table.render())
        }
    }
}
