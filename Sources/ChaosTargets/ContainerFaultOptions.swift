import ChaosCore

/// Every option of a container action, typed: what `chaosctl container kill|crash|…` and a
/// `container:` step both build from their option values (names as the CLI spells them).
public struct ContainerFaultOptions: Equatable, Sendable {
    public var action: ContainerAction
    /// The engine API (nil: $DOCKER_HOST, else the default socket).
    public var dockerHost: String?
    public var labels: [String] = []
    public var name: String?
    /// Engine states to pick from; empty: the action's default (`ContainerAction.defaultStatuses`).
    public var statuses: [String] = []
    public var pick: ContainerPick = .count(1)
    /// Seed of the random pick; nil draws one (and reports it).
    public var seed: UInt64?
    public var dryRun = false
    public var repeated: RepeatedChaos?
    public var waitRecovered: Double?

    /// The options that say which containers (shared with `container list`).
    public static let selectionOptionNames = ["docker-host", "label", "name", "status", "count", "percent", "all", "seed"]
    public static let runOptionNames = ["dry-run", "interval", "duration", "wait-recovered"]
    /// The actions' own options; `for` belongs to pause.
    public static let actionOptionNames: [String: [String]] = [
        "kill": ["signal"], "crash": [], "stop": ["timeout"], "start": [], "restart": ["timeout"], "pause": ["for"],
        "disconnect": ["network", "for"], "limit": ["cpus", "cpu-shares", "memory", "for"],
    ]
    public static var actions: [String] { ["kill", "crash", "stop", "start", "restart", "pause", "disconnect", "limit"] }
    /// Actions held as faults (applied, held for `for`, reverted) rather than one-shot.
    public static let heldActions: Set<String> = ["pause", "disconnect", "limit"]

    public static func optionNames(action: String) -> [String] {
        selectionOptionNames + runOptionNames + (actionOptionNames[action] ?? [])
    }

    public init(action: ContainerAction) { self.action = action }

    /// Parse and check every option for `action` (one of `actions`); the first bad one is
    /// thrown, named. Durations take units (`10s`).
    public init(action name: String, _ v: OptionValues) throws {
        let action: ContainerAction
        switch name {
        case "kill": action = .kill(signal: try v.parse("signal", DockerSignal.normalize) ?? "SIGKILL")
        case "crash": action = .crash
        case "stop", "restart":
            let timeout = try v.parse("timeout") { Int(try DurationParser.seconds($0, field: "--timeout").rounded(.up)) } ?? 10
            action = name == "stop" ? .stop(timeout: timeout) : .restart(timeout: timeout)
        case "start": action = .start
        case "pause":
            action = .pause(duration: try Self.holdFor(v))
        case "disconnect":
            guard let network = v.text("network"), !network.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw OptionValueError(option: "network", value: v.text("network"), reason: "is required: the network to disconnect the container from")
            }
            action = .disconnect(network: network, duration: try Self.holdFor(v))
        case "limit":
            action = .limit(try Self.limitChange(v), duration: try Self.holdFor(v))
        default:
            throw ChaosError("unknown container action '\(name)' (\(Self.actions.joined(separator: ", ")))", exitCode: .usage)
        }
        try self.init(action: action, selection: v)
    }

    private static func holdFor(_ v: OptionValues) throws -> Double? {
        try v.parse("for") { try FaultHoldRun.seconds($0, field: "--for") ?? 0 }
    }

    /// `--cpus`, `--cpu-shares`, `--memory`: at least one, each above the engines' floors.
    static func limitChange(_ v: OptionValues) throws -> ContainerLimitChange {
        let cpus = try v.parse("cpus") { text -> Double in
            guard let n = Double(text), n.isFinite, n > 0 else { throw ChaosError("must be a number of CPUs above 0, e.g. 0.5", exitCode: .usage) }
            guard n >= ContainerLimitChange.minimumCpus else {
                throw ChaosError("is below \(ContainerLimitChange.minimumCpus), the smallest CPU quota the engine accepts (1 ms per 100 ms)", exitCode: .usage)
            }
            return n
        }
        let shares = try v.parse("cpu-shares") { text -> Int64 in
            guard let n = Int64(text), n >= ContainerLimitChange.minimumShares, n <= 262_144 else {
                throw ChaosError("must be a whole number from \(ContainerLimitChange.minimumShares) to 262144 (the kernel's range; 1024 is the default weight)", exitCode: .usage)
            }
            return n
        }
        let memory = try v.parse("memory") { text -> Int64 in
            let bytes = try ContainerLimitChange.parseBytes(text)
            guard bytes >= ContainerLimitChange.minimumMemory else {
                throw ChaosError("is below 6MiB, the smallest memory limit the engine accepts", exitCode: .usage)
            }
            return bytes
        }
        let change = ContainerLimitChange(cpus: cpus, cpuShares: shares, memory: memory)
        if change.isEmpty { throw ChaosError("container limit needs --cpus, --cpu-shares or --memory", exitCode: .usage) }
        return change
    }

    /// The selection and run options alone (`container list` reads only the selection).
    public init(action: ContainerAction, selection v: OptionValues) throws {
        self.action = action
        dockerHost = v.text("docker-host")
        if let dockerHost { _ = try DockerHost(dockerHost) }
        labels = v.list("label")
        name = v.text("name")
        if let name { _ = try NamePattern(name) }
        statuses = v.list("status")
        let count = try v.parse("count") { text -> Int in
            guard let n = Int(text), n >= 1 else { throw ChaosError("must be a whole number of at least 1", exitCode: .usage) }
            return n
        }
        let percent = try v.parse("percent") { text -> Double in
            let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
            guard let p = Double(digits), p > 0, p <= 100 else { throw ChaosError("must be in (0, 100]", exitCode: .usage) }
            return p
        }
        let all = try v.flag("all")
        if [count != nil, percent != nil, all].filter({ $0 }).count > 1 {
            throw ChaosError("use only one of --count, --percent, --all", exitCode: .usage)
        }
        pick = all ? .all : percent.map { .percent($0) } ?? .count(count ?? 1)
        seed = try v.parse("seed") { text -> UInt64 in
            guard let s = UInt64(text) else { throw ChaosError("is not a whole number in 0…\(UInt64.max)", exitCode: .usage) }
            return s
        }
        dryRun = try v.flag("dry-run")
        let interval = try v.parse("interval") { try DurationParser.seconds($0, field: "--interval") }
        let duration = try v.parse("duration") { try DurationParser.seconds($0, field: "--duration") }
        if (interval == nil) != (duration == nil) { throw ChaosError("--interval and --duration go together", exitCode: .usage) }
        if let interval, let duration {
            guard interval > 0 else { throw OptionValueError(option: "interval", value: v.text("interval"), reason: "must be positive") }
            repeated = RepeatedChaos(interval: interval, duration: duration)
        }
        waitRecovered = try v.parse("wait-recovered") { try DurationParser.seconds($0, field: "--wait-recovered") }
        if let held = action.heldDuration, let repeated {
            guard let length = held else { throw ChaosError("repeated \(action.name) faults need --for", exitCode: .usage) }
            if length >= repeated.interval { throw ChaosError("--for must be shorter than --interval", exitCode: .usage) }
        }
    }

    public func selector() throws -> ContainerSelector {
        ContainerSelector(labels: labels, name: try name.map(NamePattern.init),
                          statuses: statuses.isEmpty ? action.defaultStatuses : statuses, pick: pick)
    }

    public func engine() throws -> DockerClient {
        DockerClient(host: try dockerHost.map { try DockerHost($0) } ?? DockerHost.fromEnvironment())
    }
}
