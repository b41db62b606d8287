import ArgumentParser
import ChaosCore
import ChaosTargets

/// `chaosctl node cordon|drain`: node preemption through the API server.
struct NodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Cordon or drain Kubernetes nodes for a while (node preemption), then uncordon them.",
        discussion: """
        The cordon is journaled before it is made and undone at the end, on Ctrl-C/SIGTERM, or by `chaosctl recover`; \
        only a cordon chaosctl made (annotation chaosctl.io/cordoned-by) is undone. A selection that covers every node is refused.

        Exit codes: 1 evicted pods still terminating at --timeout, 2 usage or safety refusal, 4 API unreachable, 5 unauthorized, 6 forbidden (RBAC), \
        7 no such node, 8 already cordoned (or tainted by chaosctl) or eviction blocked by a disruption budget.

        Examples:
          chaosctl node cordon worker-2 --for 60s
          chaosctl node drain -l pool=spot --grace-period 30s --timeout 2m --for 5m
          chaosctl node drain worker-2 --dry-run
          chaosctl node drain worker-2 --taint --for 2m
        """,
        subcommands: [NodeCordonCommand.self, NodeDrainCommand.self])
}

struct NodeSelection: ParsableArguments {
    @Argument(help: "The node's name.") var node: String?
    @Option(name: [.customShort("l"), .customLong("selector")], help: ArgumentHelp("Label selector over nodes, instead of a name.", valueName: "selector"))
    var selector: String?
    @Flag(help: "Also taint each node NoExecute (chaosctl.io/preempted), as a preempted node signals; only this taint is removed at the end.")
    var taint = false

    func add(to v: inout OptionValues) {
        v.set("node", node)
        v.set("selector", selector)
        v.set("taint", flag: taint)
    }
}

struct NodeCordonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cordon", abstract: "Mark nodes unschedulable until --for expires or Ctrl-C.")

    @OptionGroup var nodes: NodeSelection
    @OptionGroup var kube: KubeFaultArguments

    func run() throws {
        try Failures.reporting {
            var v = kube.values()
            nodes.add(to: &v)
            let options = try NodeFaultOptions(action: .cordon, v)
            try KubeFaultArguments.finish({ try NodeChaos.run(options, lifecycle: $0, log: $1) }, state: kube.state)
        }
    }
}

struct NodeDrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Cordon nodes and evict their pods (as kubectl drain), then uncordon at the end.",
        discussion: "Mirror pods, DaemonSet pods and terminating pods are skipped; pods no controller manages need --force. Evictions honour PodDisruptionBudgets: a 429 is retried every 5s until --timeout. Then the drain waits, within --timeout, until the evicted pods are deleted, as kubectl drain does.")

    @OptionGroup var nodes: NodeSelection
    @Option(name: .customLong("grace-period"), help: ArgumentHelp("Graceful termination for each evicted pod (default: the pod's own).", valueName: "duration"))
    var gracePeriod: String?
    @Option(help: ArgumentHelp("How long to keep retrying evictions a disruption budget blocks and waiting for evicted pods to be deleted (default 60s).", valueName: "duration"))
    var timeout: String?
    @Flag(help: "Also evict pods no controller manages (they will not come back).") var force = false
    @OptionGroup var kube: KubeFaultArguments

    func run() throws {
        try Failures.reporting {
            var v = kube.values()
            nodes.add(to: &v)
            v.set("grace-period", gracePeriod)
            v.set("timeout", timeout)
            v.set("force", flag: force)
            let options = try NodeFaultOptions(action: .drain, v)
            try KubeFaultArguments.finish({ try NodeChaos.run(options, lifecycle: $0, log: $1) }, state: kube.state)
        }
    }
}
