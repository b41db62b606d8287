import ChaosCore

/// Every option of `chaosctl partition` and a `partition:` step, typed.
public struct PartitionFaultOptions: Equatable, Sendable {
    public var connection = KubeConnection()
    public var namespace: String?
    public var spec: PartitionSpec
    public var seconds: Double?
    public var dryRun = false

    public static let optionNames = KubeConnection.optionNames + ["namespace", "selector", "from", "port", "direction", "for", "dry-run"]

    public init(_ v: OptionValues) throws {
        connection = try KubeConnection(v)
        namespace = v.text("namespace")
        guard let pods = try v.parse("selector", PartitionSpec.labels) else {
            throw ChaosError("--selector (-l) names the pods to isolate", exitCode: .usage)
        }
        let peer = try v.parse("from", PartitionSpec.labels)
        let port = try v.parse("port") { try PodFaultOptions.integer($0, atLeast: 1, as: Int.self) }
        if let port, port > 65535 { throw OptionValueError(option: "port", value: String(port), reason: "must be a port in 1-65535") }
        let direction = try v.parse("direction") { text in
            guard let d = PartitionSpec.Direction(rawValue: text) else {
                throw ChaosError("must be ingress, egress or both", exitCode: .usage)
            }
            return d
        } ?? .both
        spec = PartitionSpec(podLabels: pods, peerLabels: peer, port: port, direction: direction)
        seconds = try FaultHoldRun.seconds(v.text("for"))
        dryRun = try v.flag("dry-run")
    }
}

/// `partition`: create chaosctl's NetworkPolicy as a held fault and delete it at the end.
public enum PartitionChaos {
    public static func run(_ options: PartitionFaultOptions, lifecycle: FaultLifecycle,
                           log: @escaping (String) -> Void) throws -> KubeFaultSummary {
        let client = try options.connection.client()
        let namespace = options.namespace ?? client.target.namespace
        let fault = PartitionFault(client: client, connection: options.connection, namespace: namespace, spec: options.spec)
        try fault.preflight()
        if options.dryRun {
            let name = try fault.dryRun()
            log("would create NetworkPolicy \(namespace)/\(name): \(fault.summary) (server-side dry run)")
            return KubeFaultSummary(line: "dry run: nothing changed", interrupted: nil, failure: nil)
        }
        return try KubeFaultHold.run([fault], seconds: options.seconds, lifecycle: lifecycle, log: log)
    }
}
