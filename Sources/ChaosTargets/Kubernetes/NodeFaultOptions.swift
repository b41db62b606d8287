import ChaosCore

/// Every option of `chaosctl node cordon|drain` and a `node:` step, typed.
public struct NodeFaultOptions: Equatable, Sendable {
    public enum Action: String, Sendable, CaseIterable { case cordon, drain }

    public var action: Action
    public var connection = KubeConnection()
    /// A node name, or a label selector over nodes (exactly one of the two).
    public var node: String?
    public var selector: String?
    /// How long the cordon is held (nil: until SIGINT/SIGTERM).
    public var seconds: Double?
    public var dryRun = false
    /// Also taint the node NoExecute (key `chaosctl.io/preempted`), the signal a preempted
    /// node gives: pods that do not tolerate it are evicted by the taint manager.
    public var taint = false
    // drain only
    public var gracePeriodSeconds: Int?
    public var timeout: Double = 60
    public var force = false

    public static let commonOptionNames = KubeConnection.optionNames + ["node", "selector", "for", "dry-run", "taint"]
    public static func optionNames(_ action: Action) -> [String] {
        action == .drain ? commonOptionNames + ["grace-period", "timeout", "force"] : commonOptionNames
    }

    public init(action: Action, _ v: OptionValues) throws {
        self.action = action
        connection = try KubeConnection(v)
        node = v.text("node")
        selector = v.text("selector")
        if (node == nil) == (selector == nil) {
            throw ChaosError("give one node by name or a label selector (-l), not \(node == nil ? "neither" : "both")", exitCode: .usage)
        }
        seconds = try FaultHoldRun.seconds(v.text("for"))
        dryRun = try v.flag("dry-run")
        taint = try v.flag("taint")
        gracePeriodSeconds = try v.parse("grace-period") {
            Int(try DurationParser.seconds($0, field: "--grace-period", defaultUnit: "s").rounded(.up))
        }
        timeout = try v.parse("timeout", PodFaultOptions.positiveSeconds) ?? timeout
        force = try v.flag("force")
    }
}
