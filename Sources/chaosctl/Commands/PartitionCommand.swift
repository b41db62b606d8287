import ArgumentParser
import ChaosCore
import ChaosTargets

/// `chaosctl partition -l SELECTOR [--from SELECTOR] [--port N] [--direction …]`.
struct PartitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition",
        abstract: "Isolate pods with a NetworkPolicy chaosctl owns, for a while, then delete it.",
        discussion: """
        The policy is named chaosctl-partition-<fault id> and labelled app.kubernetes.io/managed-by=chaosctl; \
        the revert deletes only it. Enforcement is the cluster's network plugin's: see docs/kubernetes.md to check it.

        Examples:
          chaosctl partition -n shop -l app=redis --for 60s
          chaosctl partition -l app=api --from app=db --direction egress --for 30s
          chaosctl partition -l app=db --port 5432 --direction ingress --for 30s
        """)

    @Option(name: [.customShort("l"), .customLong("selector")], help: ArgumentHelp("The pods to isolate (key=value[,key=value]).", valueName: "selector"))
    var selector: String?
    @Option(help: ArgumentHelp("Cut traffic only with pods matching this (key=value[,…]); default: all traffic.", valueName: "selector"))
    var from: String?
    @Option(help: "Cut only this port (TCP and UDP).") var port: String?
    @Option(help: "ingress, egress or both (default both).") var direction: String?
    @Option(name: [.short, .long], help: "Namespace (default: the context's).") var namespace: String?
    @OptionGroup var kube: KubeFaultArguments

    func run() throws {
        try Failures.reporting {
            var v = kube.values()
            for (name, text) in [("selector", selector), ("from", from), ("port", port), ("direction", direction),
                                 ("namespace", namespace)] {
                v.set(name, text)
            }
            let options = try PartitionFaultOptions(v)
            try KubeFaultArguments.finish({ try PartitionChaos.run(options, lifecycle: $0, log: $1) }, state: kube.state)
        }
    }
}
