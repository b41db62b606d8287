import ArgumentParser
import ChaosCore
import ChaosTargets

struct ContainerKillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Send a signal through the engine API (the engine treats it as a manual stop: no restart policy).")
    @OptionGroup var select: ContainerSelectionOptions
    @OptionGroup var options: ContainerRunOptions
    @OptionGroup var state: StateOptions
    @Option(name: .long, help: "Signal name or number.") var signal = "SIGKILL"

    func run() throws {
        try ContainerRunner.execute("kill", own: ["signal": signal], select, options, state)
    }
}

struct ContainerCrashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash",
        abstract: "SIGKILL the container's main process on this host; the engine sees a crash and applies the restart policy.")
    @OptionGroup var select: ContainerSelectionOptions
    @OptionGroup var options: ContainerRunOptions
    @OptionGroup var state: StateOptions

    func run() throws { try ContainerRunner.execute("crash", select, options, state) }
}

struct ContainerStopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop containers (SIGTERM, then SIGKILL after --timeout).")
    @OptionGroup var select: ContainerSelectionOptions
    @OptionGroup var options: ContainerRunOptions
    @OptionGroup var state: StateOptions
    @Option(name: .long, help: "Grace period before SIGKILL.") var timeout = "10s"

    func run() throws { try ContainerRunner.execute("stop", own: ["timeout": timeout], select, options, state) }
}

struct ContainerStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start stopped containers (default state filter: exited, created).")
    @OptionGroup var select: ContainerSelectionOptions
    @OptionGroup var options: ContainerRunOptions
    @OptionGroup var state: StateOptions

    func run() throws { try ContainerRunner.execute("start", select, options, state) }
}

struct ContainerRestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Restart containers.")
    @OptionGroup var select: ContainerSelectionOptions
    @OptionGroup var options: ContainerRunOptions
    @OptionGroup var state: StateOptions
    @Option(name: .long, help: "Grace period before SIGKILL.") var timeout = "10s"

    func run() throws { try ContainerRunner.execute("restart", own: ["timeout": timeout], select, options, state) }
}

struct ContainerPauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause containers for --for (or until SIGINT/SIGTERM), then unpause. Journaled: `chaosctl recover` unpauses after a crash.")
    @OptionGroup var select: ContainerSelectionOptions
    @OptionGroup var options: ContainerRunOptions
    @OptionGroup var state: StateOptions
    @Option(name: .customLong("for"), help: "How long to keep them paused, e.g. 10s (default: until interrupted).") var duration: String?

    func run() throws { try ContainerRunner.execute("pause", own: ["for": duration], select, options, state) }
}
