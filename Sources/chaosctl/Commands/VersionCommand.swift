import ArgumentParser

/// `chaosctl version`, the same as `chaosctl --version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print chaosctl's version.")

    func run() {
        print(ChaosCtlVersion.string)
    }
}
