import ArgumentParser
import ChaosCore
import ChaosNet
import ChaosTargets
import Foundation

/// Which network namespace a ChaosNet command acts in: the current one, a named one, a
/// process's or a container's. The names are `NetnsPlacementOptions.optionNames`.
struct NetnsOptions: ParsableArguments {
    @Option(help: "Named network namespace (as in `ip netns list`).")
    var netns: String?

    @Option(help: "Act in the network namespace of this process (e.g. a container's main process).")
    var pid: String?

    @Option(help: "Act in the network namespace of this Docker/Podman container (name or ID), resolved through the engine API.")
    var container: String?

    @Option(name: [.customLong("docker-host"), .customShort("H")],
            help: "Engine API for --container: unix:///path or tcp://HOST:PORT (default: $DOCKER_HOST, else unix:///var/run/docker.sock).")
    var dockerHost: String?

    func add(to v: inout OptionValues) {
        v.set("netns", netns)
        v.set("pid", pid)
        v.set("container", container)
        v.set("docker-host", dockerHost)
    }
}

/// Where a qdisc command acts: a device, in a namespace. The names are
/// `QdiscPlacementOptions.optionNames`.
struct NetDeviceOptions: ParsableArguments {
    @Option(help: "Network interface, e.g. eth0.")
    var dev: String

    @OptionGroup var namespace: NetnsOptions

    func values(force: Bool = false) -> OptionValues {
        var v = OptionValues()
        v.set("dev", dev)
        namespace.add(to: &v)
        v.set("force", flag: force)
        return v
    }

    /// The device and namespace, a container's looked up through its engine.
    func target(force: Bool = false) throws -> QdiscFaultTarget {
        let placement = try QdiscPlacementOptions(values(force: force))
        return try placement.target(containerPid: try NetCLI.containerPid(placement))
    }
}

/// How long a netem/tbf fault lasts, and whether it may replace a foreign root qdisc.
struct NetHoldOptions: ParsableArguments {
    @Option(name: .customLong("for"), help: ArgumentHelp("Revert after this long (e.g. 30s, 5m). Without it, hold until Ctrl-C/SIGTERM.", valueName: "duration"))
    var duration: String?

    @Flag(help: "Leave the fault in place and exit (journaled; end it with `clear` or `chaosctl recover --all`).")
    var detach = false

    @Flag(help: "Replace a root qdisc chaosctl did not install; it is saved and put back on revert.")
    var force = false
}

enum NetCLI {
    static func say(_ line: String) {
        print(line)
        fflush(stdout)
    }

    static func containerPid(_ placement: QdiscPlacementOptions) throws -> Int32? {
        try containerPid(placement.namespace)
    }

    static func containerPid(_ placement: NetnsPlacementOptions) throws -> Int32? {
        try placement.container.map { try ContainerNetns.mainPid(of: $0, dockerHost: placement.dockerHost) }
    }

    /// Journal and apply `fault`, then hold it until --for expires or a signal, and revert.
    static func applyAndHold(_ fault: Fault, hold: NetHoldOptions) throws {
        try HeldFaultRun.applyAndHold(fault, lifecycle: Lifecycle.make(journal: FaultJournal()),
                                      duration: hold.duration, detach: hold.detach,
                                      detachedEnd: "`chaosctl \(fault.kind) clear` or `chaosctl recover --all`")
    }

    /// `show`: the device's qdiscs as the kernel reports them, and chaosctl's journaled faults.
    static func show(_ options: NetDeviceOptions, kind: String) throws {
        let place = try options.target()
        let control = try QdiscControl(target: place.target, device: place.device)
        let qdiscs = try control.qdiscs()
        say("qdiscs on \(place.label):")
        for q in qdiscs { say("  " + q.summary) }
        let records = QdiscFaults.records(in: FaultJournal(), target: place.target, device: place.device)
        for r in records {
            let owner = r.owner.map { "held by pid \($0.pid)" } ?? "detached"
            let expiry = r.expiresAt.map { ", expires \($0)" } ?? ""
            say("chaosctl fault \(r.id): \(r.kind) \(r.summary) (\(owner)\(expiry))")
        }
        if !qdiscs.contains(where: { $0.isChaosctl }) && records.isEmpty { say("no chaosctl \(kind) fault here") }
    }

    static func clear(_ options: NetDeviceOptions) throws {
        let place = try options.target()
        let done = try QdiscFaults.clear(journal: FaultJournal(), target: place.target, device: place.device)
        if done.isEmpty { say("nothing to clear on \(place.label)") }
        for line in done { say(line) }
    }
}
