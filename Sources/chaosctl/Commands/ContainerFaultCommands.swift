import ArgumentParser
import ChaosCore
import ChaosTargets

/// The container named on the command line (`container disconnect web …`) is the selection
/// `--name web`: a plain name matches only itself.
private func named(_ container: String?, _ select: ContainerSelectionOptions) throws -> [String: String?] {
    guard let container else { return [:] }
    if select.name != nil { throw ChaosError("give the container once: as NAME or as --name", exitCode: .usage) }
    return ["name": container]
}

struct ContainerDisconnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disconnect",
        abstract: "Disconnect containers from a network for --for (or until SIGINT/SIGTERM), then reconnect them with their aliases and addresses. Journaled: `chaosctl recover` reconnects after a crash.")
    @Argument(help: "The container (name; or select with --label/--name).") var container: String?
    @OptionGroup var select: ContainerSelectionOptions
    @OptionGroup var options: ContainerRunOptions
    @OptionGroup var state: StateOptions
    @Option(name: .long, help: "The network (name or ID) to disconnect them from.") var network: String?
    @Option(name: .customLong("for"), help: "How long to keep them disconnected, e.g. 30s (default: until interrupted).") var duration: String?

    func run() throws {
        try Failures.reporting {
            let own = try named(container, select).merging(["network": network, "for": duration]) { a, _ in a }
            try ContainerRunner.execute("disconnect", own: own, select, options, state)
        }
    }
}

struct ContainerLimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit",
        abstract: "Set CPU/memory limits on containers through the engine API for --for (or until SIGINT/SIGTERM), then restore the previous ones. Journaled: `chaosctl recover` restores after a crash.")
    @Argument(help: "The container (name; or select with --label/--name).") var container: String?
    @OptionGroup var select: ContainerSelectionOptions
    @OptionGroup var options: ContainerRunOptions
    @OptionGroup var state: StateOptions
    @Option(name: .long, help: "CPU limit in CPUs, e.g. 0.5 (a CFS quota, as `docker run --cpus`).") var cpus: String?
    @Option(name: .long, help: "CPU weight relative to others (2-262144; the default weight is 1024).") var cpuShares: String?
    @Option(name: .long, help: "Memory limit, e.g. 256MiB, 1GiB (at least 6MiB, and not below what the container uses now).") var memory: String?
    @Option(name: .customLong("for"), help: "How long to keep the limits, e.g. 30s (default: until interrupted).") var duration: String?

    func run() throws {
        try Failures.reporting {
            let own = try named(container, select).merging(["cpus": cpus, "cpu-shares": cpuShares, "memory": memory, "for": duration]) { a, _ in a }
            try ContainerRunner.execute("limit", own: own, select, options, state)
        }
    }
}
