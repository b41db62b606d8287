import ArgumentParser
import ChaosCore
import ChaosTargets
import Foundation

/// Which cluster and which pods: shared by every `pod` subcommand.
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
    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Per-request timeout.", valueName: "duration"))
    var requestTimeout = "30s"

    func validate() throws {
        if allNamespaces && namespace != nil {
            throw ValidationError("--namespace and --all-namespaces exclude each other")
        }
    }

    var policy: KubeNamespacePolicy {
        KubeNamespacePolicy(allowed: Set(allowNamespaces), denied: Set(denyNamespaces))
    }

    /// Resolve credentials and build the client; the namespace to use (nil: all).
    func connect() throws -> (KubeClient, String?) {
        let target = try KubeConfigLoader.resolve(kubeconfig: kubeconfig, context: context)
        let timeout = try DurationParser.seconds(requestTimeout, field: "--request-timeout")
        let client = KubeClient(target: target, timeout: timeout)
        return (client, allNamespaces ? nil : (namespace ?? target.namespace))
    }
}
