import ArgumentParser
import ChaosCore
import ChaosTargets

/// Engine and selection options shared by every `container` subcommand; the names are
/// `ContainerFaultOptions.selectionOptionNames`.
struct ContainerSelectionOptions: ParsableArguments {
    @Option(name: [.customLong("docker-host"), .customShort("H")],
            help: "Engine API: unix:///path or tcp://HOST:PORT (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
    var dockerHost: String?

    @Option(name: .long, help: "Label filter key or key=value (repeatable; all must match).")
    var label: [String] = []

    @Option(name: .long, help: "Container name pattern: glob (web-*) or re:REGEX.")
    var name: String?

    @Option(name: .long, help: "Only containers in this state (repeatable): running, exited, paused, created, …")
    var status: [String] = []

    @Option(name: .long, help: "Hit N matching containers at random (default 1).")
    var count: String?

    @Option(name: .long, help: "Hit P percent of matching containers at random (rounded up).")
    var percent: String?

    @Flag(name: .long, help: "Hit every matching container.")
    var all = false

    @Option(name: .long, help: "Seed for the random pick, to replay a run.")
    var seed: String?

    func values() -> OptionValues {
        var v = OptionValues()
        v.set("docker-host", dockerHost)
        v.set("label", label)
        v.set("name", name)
        v.set("status", status)
        v.set("count", count)
        v.set("percent", percent)
        v.set("all", flag: all)
        v.set("seed", seed)
        return v
    }
}

/// Options of the actions (not `list`): `ContainerFaultOptions.runOptionNames`.
struct ContainerRunOptions: ParsableArguments {
    @Flag(name: .long, help: "Show exactly what would be done, change nothing.")
    var dryRun = false

    @Option(name: .long, help: "Repeat every INTERVAL (e.g. 10s) for --duration; rounds run one after another.")
    var interval: String?

    @Option(name: .long, help: "Total time to repeat for (with --interval), e.g. 60s.")
    var duration: String?

    @Option(name: .long, help: "After the action, wait up to this long (e.g. 60s) for each container to run again and report the time.")
    var waitRecovered: String?

    func add(to v: inout OptionValues) {
        v.set("dry-run", flag: dryRun)
        v.set("interval", interval)
        v.set("duration", duration)
        v.set("wait-recovered", waitRecovered)
    }
}
