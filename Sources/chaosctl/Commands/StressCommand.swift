import ArgumentParser
import ChaosCore
import ChaosExperiment
import ChaosStress

/// `chaosctl stress`: CPU or memory pressure inside a container's, a process's or this
/// process tree's cgroups, as a journaled fault.
struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Burn CPU or hold memory inside a target's cgroups (container, process, or this process tree).",
        discussion: """
        Workers (chaosctl-stress-worker, installed beside chaosctl) are started held, journaled with their PIDs and start times, moved into every cgroup of the target (v1 and v2), and only then released. They are killed when --for expires, on SIGINT/SIGTERM, or by `chaosctl recover` after a crash; a revert kills only its own workers. See docs/stress.md.
        """,
        subcommands: [StressCPUCommand.self, StressMemoryCommand.self, StressShowCommand.self])
}

/// Where the workers go and how long they run; the names are `StressFaultOptions.targetOptionNames`.
struct StressTargetOptions: ParsableArguments {
    @Option(help: "Join this Docker/Podman container's cgroups (name or ID; its main process's, through the engine API).")
    var container: String?

    @Option(name: [.customLong("docker-host"), .customShort("H")],
            help: "Engine API for --container: unix:///path or tcp://HOST:PORT (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
    var dockerHost: String?

    @Option(help: "Join this process's cgroups.")
    var pid: String?

    @Option(name: .customLong("for"), help: ArgumentHelp("Stop after this long (e.g. 30s, 5m). Without it, run until Ctrl-C/SIGTERM.", valueName: "duration"))
    var duration: String?

    @Flag(help: "Leave the workers running and exit (journaled; end them with `chaosctl recover --all --kind stress`).")
    var detach = false

    @Flag(help: "Check the options and the target, print what would start; start nothing.")
    var dryRun = false

    @OptionGroup var state: StateOptions

    func values() -> OptionValues {
        var v = OptionValues()
        v.set("container", container)
        v.set("docker-host", dockerHost)
        v.set("pid", pid)
        v.set("dry-run", flag: dryRun)
        return v
    }

    /// Build, check and run (or only plan) the stress these options describe.
    func run(_ options: StressFaultOptions) throws {
        let seconds = try FaultHoldRun.seconds(duration)
        let fault = try options.resolvedFault(holdSeconds: seconds)
        if options.dryRun {
            HeldFaultRun.say(fault.plan)
            return
        }
        try HeldFaultRun.applyAndHold(fault, lifecycle: Lifecycle.make(journal: state.journal), duration: duration, detach: detach,
                                      detachedEnd: "`chaosctl recover --all --kind stress`")
    }
}

struct StressCPUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cpu", abstract: "Burn CPU: N workers, each busy LOAD% of one core.")
    @Option(help: "Worker processes (default 1; at most 8 per online CPU).") var workers: String?
    @Option(help: "Each worker's load, percent of one core (1-100, default 100).") var load: String?
    @OptionGroup var target: StressTargetOptions

    func run() throws {
        try Failures.reporting {
            var v = target.values()
            v.set("workers", workers)
            v.set("load", load)
            try target.run(try StressFaultOptions(resource: "cpu", v))
        }
    }
}

struct StressMemoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "memory", abstract: "Hold and keep touching SIZE of memory.")
    @Option(help: "How much (256MiB, 1GiB, 512k): refused if more than the target's cgroup or the host has free.") var size: String?
    @OptionGroup var target: StressTargetOptions

    func run() throws {
        try Failures.reporting {
            var v = target.values()
            v.set("size", size)
            try target.run(try StressFaultOptions(resource: "memory", v))
        }
    }
}

/// `stress show`: each journaled stress and its workers as /proc sees them now.
struct StressShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show journaled stresses and their workers (CPU time, resident memory).")
    @OptionGroup var state: StateOptions

    func run() throws {
        try Failures.reporting {
            let records = state.journal.records().0.filter { $0.kind == StressFault.kind }
            if records.isEmpty { HeldFaultRun.say("no stress fault in \(state.journal.directory)") }
            for r in records {
                let owner = r.owner.map { "held by pid \($0.pid)" } ?? "detached"
                HeldFaultRun.say("stress \(r.id): \(r.summary) in \(r.target) (\(owner))")
                for line in (r.revertData["cgroups"] ?? "").split(separator: "\n") { HeldFaultRun.say("  cgroup \(line)") }
                for worker in StressWorkerID.list(r.revertData["workers"] ?? "") ?? [] {
                    guard let info = worker.running else {
                        HeldFaultRun.say("  worker \(worker.pid): gone")
                        continue
                    }
                    let cpu = Double(info.cpuTicks) / WorkerProcessInfo.ticksPerSecond
                    let rss = info.residentBytes.map(ByteSize.format) ?? "?"
                    HeldFaultRun.say("  worker \(worker.pid): running, cpu \(DurationParser.format(cpu)), rss \(rss)")
                }
            }
        }
    }
}
