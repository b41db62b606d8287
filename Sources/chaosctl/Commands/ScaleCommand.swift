import ArgumentParser
import ChaosCore
import ChaosTargets

/// `chaosctl scale deployment/NAME --replicas N --for 60s`.
struct ScaleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Set a Deployment's or StatefulSet's replicas for a while (e.g. to zero), then restore them.",
        discussion: """
        Through the scale subresource. The previous count is restored at the end, on Ctrl-C/SIGTERM or by \
        `chaosctl recover`, only if the count is still the one chaosctl set. A HorizontalPodAutoscaler targeting \
        the workload is warned about: it would fight the change.

        Examples:
          chaosctl scale deployment/qdrant -n search --replicas 0 --for 60s
          chaosctl scale statefulset/redis --replicas 1 --dry-run
        """)

    @Argument(help: ArgumentHelp("deployment/NAME or statefulset/NAME.", valueName: "workload")) var workload: String
    @Option(help: "The replica count to set (0 scales to zero).") var replicas: String?
    @Option(name: [.short, .long], help: "Namespace (default: the context's).") var namespace: String?
    @OptionGroup var kube: KubeFaultArguments

    func run() throws {
        try Failures.reporting {
            var v = kube.values()
            v.set("workload", workload)
            v.set("replicas", replicas)
            v.set("namespace", namespace)
            let options = try ScaleFaultOptions(v)
            try KubeFaultArguments.finish({ try ScaleChaos.run(options, lifecycle: $0, log: $1, warn: Failures.printWarning) },
                                          state: kube.state)
        }
    }
}
