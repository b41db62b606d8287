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
    @Argument(help: "A profile file, or a profile name in --dir.") var profile: String
    @Option(help: "Where profile names are looked up.") var dir = "fault-profiles"
    @Option(name: .customLong("for"), help: ArgumentHelp("Override the profile's duration for every flag.", valueName: "duration"))
    var duration: String?
    @Flag(help: "Stay in the foreground and revert on expiry, SIGINT or SIGTERM.") var wait = false

    func run() throws {
        try Failures.reporting {
            let file = ProfileApplyCommand.locate(profile, dir: dir)
            var loaded = try FaultProfile.load(file: file)
            if let duration {
                let seconds = try DurationParser.seconds(duration, field: "--for")
                for i in loaded.flags.indices { loaded.flags[i].forSeconds = seconds }
            }
            try FlagApply.apply(settings: loaded.flags, replace: loaded.replace, control: control, state: state,
                                wait: wait, label: "profile \(loaded.name) (\(loaded.flags.count) flags)")
        }
    }

    static func locate(_ profile: String, dir: String) -> String {
        if profile.contains("/") || FileManager.default.fileExists(atPath: profile) { return profile }
        for ext in ["yaml", "yml", "json"] where FileManager.default.fileExists(atPath: "\(dir)/\(profile).\(ext)") {
            return "\(dir)/\(profile).\(ext)"
        }
        return profile
    }
}

struct ProfileListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the profiles in a directory.")
    @Option(help: "Profile directory.") var dir = "fault-profiles"

    func run() throws {
        try Failures.reporting {
            let profiles = FaultProfile.list(directory: dir)
            if profiles.isEmpty { print("no profiles in \(dir)"); return }
            var table = TextTable(headers: ["PROFILE", "FLAGS", "DESCRIPTION"])
            for (name, file) in profiles {
                do {
                    let p = try FaultProfile.load(file: file)
                    table.add([name, p.flags.map(\.name).joined(separator: ","), p.description])
                } catch {
                    table.add([name, "INVALID", String(describing: error).split(separator: "\n").first.map(String.init) ?? ""])
                }
            }
            print(table.render())
        }
    }
}
