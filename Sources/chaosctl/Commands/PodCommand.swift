import ArgumentParser

/// `chaosctl pod …`: Kubernetes pod chaos through the API server (kubectl's credentials).
struct PodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pod",
        abstract: "Kill or evict Kubernetes pods by selector, safely, and time the recovery.",
        discussion: """
        Credentials come from --kubeconfig, else KUBECONFIG (merged, first file wins), else ~/.kube/config, else the in-cluster service account. kube-system is never touched unless allowed with --allow-namespace kube-system.

        Exit codes: 2 usage or safety refusal, 4 API unreachable, 5 unauthorized (401), 6 forbidden (403), 7 nothing matched, 8 eviction blocked by a disruption budget, 9 server too old for policy/v1 eviction, 1 recovery not reached in time.

        Examples:
          chaosctl pod list -n shop -l app=aegis-api
          chaosctl pod kill -n shop -l app=api --grace-period 0 --wait-recovered 2m
          chaosctl pod evict -n shop -l app=aegis-api --percent 30 --dry-run
          chaosctl pod kill -n shop -l app=api --interval 10s --duration 60s --seed 7
        """,
        subcommands: [PodListCommand.self, PodKillCommand.self, PodEvictCommand.self])
}
