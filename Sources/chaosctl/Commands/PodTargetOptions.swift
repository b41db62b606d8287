import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

/// Which cluster and which pods: shared by every `pod` subcommand
/// (`PodFaultOptions.targetOptionNames`).
struct PodTargetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster).", valueName: "file"))
    var kubeconfig: String?
    @Option(name: .long, help: "kubeconfig context (default: current-context).")
    var context: String?
    @Option(name: [.short, .long], help: "Namespace (default: the context's, else default).")
    var namespace: String?
    @Flag(name: [.customShort("A"), .long], help: "Select across every namespace.")
    var allNamespaces = false
    @Option(name: [.customShort("l"), .customLong("selector")], help: ArgumentHelp("Label selector, as kubectl -l.", valueName: "selector"))
    var selector: String?
    @Option(name: .customLong("field-selector"), help: ArgumentHelp("Field selector (status.phase=Running, spec.nodeName=n1, …).", valueName: "selector"))
    var fieldSelector: String?
    @Option(name: .customLong("allow-namespace"), help: ArgumentHelp("Only these namespaces (repeatable); the only way into kube-system.", valueName: "ns"))
    var allowNamespaces: [String] = []
    @Option(name: .customLong("deny-namespace"), help: ArgumentHelp("Never these namespaces (repeatable).", valueName: "ns"))
    var denyNamespaces: [String] = []
    @Flag(name: .customLong("include-not-running"), help: "Also pick pods that are not Running (Pending, Failed).")
    var includeNotRunning = false
    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Per-request timeout (default 30s).", valueName: "duration"))
    var requestTimeout: String?

    func add(to v: inout OptionValues) {
        v.set("kubeconfig", kubeconfig)
        v.set("context", context)
        v.set("namespace", namespace)
        v.set("all-namespaces", flag: allNamespaces)
        v.set("selector", selector)
        v.set("field-selector", fieldSelector)
        v.set("allow-namespace", allowNamespaces)
        v.set("deny-namespace", denyNamespaces)
        v.set("include-not-running", flag: includeNotRunning)
        v.set("request-timeout", requestTimeout)
    }
}
