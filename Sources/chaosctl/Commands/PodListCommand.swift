import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

/// `chaosctl pod list`: what a selector matches and whether chaos could pick each pod.
struct PodListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the pods a selector matches and which of them are eligible for chaos.")

    @OptionGroup var target: PodTargetOptions

    func run() throws {
        try Failures.reporting {
            var values = OptionValues()
            target.add(to: &values)
            let options = try PodFaultOptions(action: .kill, values)
            let (client, namespace) = try PodChaos.connect(options)
            let list = try client.listPods(namespace: namespace, labelSelector: options.selector,
                                           fieldSelector: options.fieldSelector)
            let policy = options.policy
            var table = TextTable(headers: ["NAMESPACE", "NAME", "UID", "PHASE", "READY", "CHAOS"])
            for pod in list.pods.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
                let verdict: String
                if let refusal = policy.refusal(for: pod.namespace) { verdict = "no: " + refusal }
                else if pod.terminating { verdict = "no: terminating" }
                else if pod.phase != "Running" && !options.includeNotRunning { verdict = "no: not Running" }
                else { verdict = "eligible" }
                table.add([pod.namespace, pod.name, pod.uid, pod.phase + (pod.terminating ? " (terminating)" : ""),
                           pod.ready ? "yes" : "no", verdict])
            }
            if list.pods.isEmpty {
                print("No pods match (\(namespace.map { "namespace \($0)" } ?? "all namespaces")).")
            } else {
                print(table.render())
            }
        }
    }
}
