import ChaosCore

/// Every option of `chaosctl scale` and a `scale:` step, typed.
public struct ScaleFaultOptions: Equatable, Sendable {
    public var connection = KubeConnection()
    public var namespace: String?
    public var workload: KubeWorkloadRef
    public var replicas: Int
    public var seconds: Double?
    public var dryRun = false

    public static let optionNames = KubeConnection.optionNames + ["namespace", "workload", "replicas", "for", "dry-run"]

    public init(_ v: OptionValues) throws {
        connection = try KubeConnection(v)
        namespace = v.text("namespace")
        guard let workload = try v.parse("workload", KubeWorkloadRef.init(parsing:)) else {
            throw ChaosError("name the workload: deployment/NAME or statefulset/NAME", exitCode: .usage)
        }
        self.workload = workload
        guard let replicas = try v.parse("replicas", { try PodFaultOptions.integer($0, atLeast: 0, as: Int.self) }) else {
            throw ChaosError("--replicas is required (0 scales to zero)", exitCode: .usage)
        }
        self.replicas = replicas
        seconds = try FaultHoldRun.seconds(v.text("for"))
        dryRun = try v.flag("dry-run")
    }
}

/// `scale`: warn about autoscalers, then set the count as a held fault and restore it.
public enum ScaleChaos {
    public static func run(_ options: ScaleFaultOptions, lifecycle: FaultLifecycle,
                           log: @escaping (String) -> Void, warn: @escaping (String) -> Void) throws -> KubeFaultSummary {
        let client = try options.connection.client()
        let namespace = options.namespace ?? client.target.namespace
        let fault = ScaleFault(client: client, connection: options.connection, workload: options.workload,
                               namespace: namespace, replicas: options.replicas)
        try fault.preflight()
        do {
            for hpa in try client.autoscalers(targeting: options.workload, namespace: namespace) {
                let range = "\(hpa.minReplicas.map(String.init) ?? "1")-\(hpa.maxReplicas.map(String.init) ?? "?")"
                let remedy = options.replicas == 0
                    ? "an autoscaler cannot hold 0 replicas: delete it for the run and re-apply its manifest afterwards"
                    : "set its minReplicas and maxReplicas to \(options.replicas) for the run and restore them afterwards"
                warn("HorizontalPodAutoscaler \(hpa.name) targets \(options.workload) (replicas \(range)): it will scale it back and fight this fault; \(remedy). A count it changes is left alone by the revert")
            }
        } catch let e as KubeAPIError where e.code == 403 {
            warn("could not check for HorizontalPodAutoscalers (\(e.message)); one targeting \(options.workload) would fight this fault")
        }
        if options.dryRun {
            let current = try fault.dryRun()
            log("would scale \(options.workload) in namespace \(namespace) from \(current) to \(options.replicas) (server-side dry run)")
            return KubeFaultSummary(line: "dry run: nothing changed", interrupted: nil, failure: nil)
        }
        return try KubeFaultHold.run([fault], seconds: options.seconds, lifecycle: lifecycle, log: log)
    }
}
