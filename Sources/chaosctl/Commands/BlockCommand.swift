import ArgumentParser
import ChaosCore
import ChaosNet

/// `chaosctl block`: block a port in a network namespace with an nftables table of
/// chaosctl's own, removed when the fault ends.
struct BlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block",
        abstract: "Block a TCP/UDP port in a network namespace (nftables) until --for expires or Ctrl-C.",
        discussion: """
        Adds the nftables table `inet chaosctl_block_<fault id>` (one chain, one rule, a comment naming the fault) in one transaction, and deletes that table, and only that one, when the fault ends. Egress matches connections the namespace makes to PORT; ingress matches connections to the namespace's own PORT. End a detached block with `chaosctl recover --all --kind block`.

          chaosctl block --port 5432 --for 30s
          chaosctl block --port 5432 --direction ingress --reject --netns db --for 1m
          chaosctl block --port 6379 --container redis --detach
        """)

    @Option(help: "The destination port to block (1-65535).") var port: String
    @Option(help: "egress: packets leaving to PORT (default); ingress: packets arriving at PORT.") var direction: String?
    @Option(name: .customLong("protocol"), help: "tcp (default) or udp.") var transport: String?
    @Flag(help: "Answer at once: a TCP reset, or ICMP port unreachable for UDP.") var reject = false
    @Flag(help: "Drop silently, so connects and requests hang until their timeouts (the default).") var drop = false
    @OptionGroup var namespace: NetnsOptions

    @Option(name: .customLong("for"), help: ArgumentHelp("Revert after this long (e.g. 30s, 5m). Without it, hold until Ctrl-C/SIGTERM.", valueName: "duration"))
    var duration: String?
    @Flag(help: "Leave the block in place and exit (journaled; end it with `chaosctl recover --all --kind block`).")
    var detach = false
    @Flag(help: "Print the table that would be added; change nothing.") var dryRun = false

    /// The options model both this command and a `block:` step build.
    func options() throws -> PortBlockOptions {
        var v = OptionValues()
        namespace.add(to: &v)
        v.set("port", port)
        v.set("direction", direction)
        v.set("protocol", transport)
        v.set("reject", flag: reject)
        v.set("drop", flag: drop)
        return try PortBlockOptions(v)
    }

    func run() throws {
        try Failures.reporting {
            let options = try options()
            _ = try FaultHoldRun.seconds(duration)
            let fault = try options.fault(containerPid: try NetCLI.containerPid(options.placement))
            if dryRun {
                _ = try fault.netTarget.identity()   // a missing namespace is still refused
                NetCLI.say("dry run: would block \(fault.summary) in \(fault.target), adding (nothing changed):")
                NetCLI.say(fault.plan())
                return
            }
            try HeldFaultRun.applyAndHold(fault, lifecycle: Lifecycle.make(journal: FaultJournal()), duration: duration, detach: detach,
                                          detachedEnd: "`chaosctl recover --all --kind block` (or `chaosctl recover --all`)")
        }
    }
}
