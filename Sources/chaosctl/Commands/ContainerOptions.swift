import ArgumentParser
import ChaosCore
import ChaosTargets

/// Engine and selection options shared by every `container` subcommand.
struct ContainerSelectionOptions: ParsableArguments {
    @Option(name: .long, help: "Engine API: unix:///path or tcp://HOST:PORT (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
    var host: String?

    @Option(name: .long, help: "Label filter key or key=value (repeatable; all must match).")
    var label: [String] = []

    @Option(name: .long, help: "Container name pattern: glob (web-*) or re:REGEX.")
    var name: String?

    @Option(name: .long, help: "Only containers in this state (repeatable): running, exited, paused, created, …")
    var status: [String] = []

    @Option(name: .long, help: "Hit N matching containers at random (default 1).")
    var count: Int?

    @Option(name: .long, help: "Hit P percent of matching containers at random (rounded up).")
    var percent: Double?

    @Flag(name: .long, help: "Hit every matching container.")
    var all = false

    @Option(name: .long, help: "Seed for the random pick, to replay a run.")
    var seed: UInt64?

    /// Checked in `run` (not ArgumentParser's `validate`) so usage errors exit 2 like every
    /// other chaosctl command.
    func check() throws {
        let picks = [count != nil, percent != nil, all].filter { $0 }.count
        if picks > 1 { throw usage("use only one of --count, --percent, --all") }
        if let count, count < 1 { throw usage("--count must be at least 1 (got \(count))") }
        if let percent, !(percent > 0 && percent <= 100) { throw usage("--percent must be in (0, 100] (got \(percent))") }
    }

    var pick: ContainerPick {
        if all { return .all }
        if let percent { return .percent(percent) }
        return .count(count ?? 1)
    }

    func selector(defaultStatuses: [String]) throws -> ContainerSelector {
        ContainerSelector(labels: label, name: try name.map(NamePattern.init),
                          statuses: status.isEmpty ? defaultStatuses : status, pick: pick)
    }

    func engine() throws -> DockerClient {
        let h = try host.map { try DockerHost($0) } ?? DockerHost.fromEnvironment()
        return DockerClient(host: h)
    }
}

/// Options of the actions (not `list`).
struct ContainerRunOptions: ParsableArguments {
    @Flag(name: .long, help: "Show exactly what would be done, change nothing.")
    var dryRun = false

    @Option(name: .long, help: "Repeat every INTERVAL (e.g. 10s) for --duration; rounds run one after another.")
    var interval: String?

    @Option(name: .long, help: "Total time to repeat for (with --interval), e.g. 60s.")
    var duration: String?

    @Option(name: .long, help: "After the action, wait up to this long (e.g. 60s) for each container to run again and report the time.")
    var waitRecovered: String?

    func check() throws {
        if (interval == nil) != (duration == nil) { throw usage("--interval and --duration go together") }
        if let interval, try DurationParser.seconds(interval, field: "--interval") <= 0 {
            throw usage("--interval must be positive")
        }
        if let duration { _ = try DurationParser.seconds(duration, field: "--duration") }
        if let waitRecovered { _ = try DurationParser.seconds(waitRecovered, field: "--wait-recovered") }
    }

    var repeated: RepeatedChaos? {
        guard let interval, let duration,
              let i = try? DurationParser.seconds(interval, field: "--interval"),
              let d = try? DurationParser.seconds(duration, field: "--duration") else { return nil }
        return RepeatedChaos(interval: i, duration: d)
    }

    var recoveryTimeout: Double? {
        waitRecovered.flatMap { try? DurationParser.seconds($0, field: "--wait-recovered") }
    }
}

func usage(_ message: String) -> ChaosError { ChaosError(message, exitCode: .usage) }

/// Seconds from a "10s"-style option, for whole-second API parameters (stop/restart timeouts).
func wholeSeconds(_ text: String, field: String) throws -> Int {
    Int(try DurationParser.seconds(text, field: field).rounded(.up))
}
