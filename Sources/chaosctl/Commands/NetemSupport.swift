import ArgumentParser
import ChaosCore
import ChaosNet
import ChaosTargets
import Foundation

/// Where a qdisc command acts: a device, in the current netns, a named one, or a process's.
struct NetDeviceOptions: ParsableArguments {
    @Option(help: "Network interface, e.g. eth0.")
    var dev: String

    @Option(help: "Named network namespace (as in `ip netns list`).")
    var netns: String?

    @Option(help: "Act in the network namespace of this process (e.g. a container's main process).")
    var pid: Int32?

    @Option(help: "Act in the network namespace of this Docker/Podman container (name or ID), resolved through the engine API.")
    var container: String?

    @Option(name: .customLong("docker-host"), help: "Engine API for --container (default: $DOCKER_HOST, else /var/run/docker.sock).")
    var dockerHost: String?

    func target(force: Bool = false) throws -> QdiscFaultTarget {
        var pid = self.pid
        if let container {
            guard netns == nil, pid == nil else {
                throw ChaosError("--container, --netns and --pid name the namespace three ways: give one", exitCode: .usage)
            }
            // The container's main process lives in its network namespace; the engine knows its PID.
            let host = try dockerHost.map { try DockerHost($0) } ?? DockerHost.fromEnvironment()
            let details = try DockerClient(host: host, timeout: 30).inspect(container)
            guard details.state.running, details.state.pid > 0 else {
                throw ChaosError("container \(container) is not running (state \(details.state.status)): it has no network namespace to shape",
                                 exitCode: .conflict)
            }
            pid = Int32(details.state.pid)
        }
        return QdiscFaultTarget(target: try NetTarget.from(netns: netns, pid: pid), device: dev, force: force)
    }
}

/// How long a netem/tbf fault lasts.
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

    /// Journal and apply `fault`, then hold it until --for expires or a signal, and revert.
    static func applyAndHold(_ fault: Fault, hold: NetHoldOptions) throws {
        let seconds = try hold.duration.map { try DurationParser.seconds($0, field: "--for") }
        if hold.detach && seconds != nil {
            throw ChaosError("--detach and --for do not mix: a detached fault has nobody to revert it on time", exitCode: .usage)
        }
        if let seconds, seconds <= 0 { throw ChaosError("--for must be longer than 0", exitCode: .usage) }
        let lifecycle = FaultLifecycle(journal: FaultJournal(), reverters: QdiscReverter.all)
        let expires = seconds.map { Date().addingTimeInterval($0) }
        // Trap SIGINT/SIGTERM before applying, so a signal mid-apply still reverts.
        let holder = hold.detach ? nil : FaultHold(lifecycle)
        let record = try lifecycle.apply(fault, held: !hold.detach, expiresAt: expires)
        say("applied \(fault.kind) on \(fault.target): \(fault.summary) [fault \(record.id)]")
        guard let holder else {
            say("detached: it stays until `chaosctl \(fault.kind) clear` or `chaosctl recover --all`")
            return
        }
        say(seconds.map { "holding for \(DurationParser.format($0)); Ctrl-C reverts now" } ?? "holding until Ctrl-C/SIGTERM")
        let (ending, failures) = holder.wait(until: expires)
        if let (record, error) = failures.first {
            throw ChaosError("could not revert fault \(record.id): \(error); run `chaosctl recover`", exitCode: .failure)
        }
        switch ending {
        case .expired: say("reverted \(fault.kind) on \(fault.target) (time is up)")
        case .signal(let sig):
            say("reverted \(fault.kind) on \(fault.target) (signal \(sig))")
            throw ArgumentParser.ExitCode(SignalTrap.exitStatus(for: sig))
        }
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
