import ChaosConfig
import ChaosProxyClient

/// Step kinds by their key in the file (`flag:`, `profile:`, `command:`, `toxic:`, …). Each
/// fault module contributes a parser; the runner only sees `PlannedStep.Action`s, so it does
/// not know any fault module.
public struct ActionRegistry {
    /// Parse the value under the step's key. `duration` is the step's own `duration:` if any.
    /// Return nil after reporting problems on the node.
    public typealias Parser = (_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action?

    public private(set) var parsers: [String: Parser] = [:]

    public init() {}

    public mutating func register(_ key: String, _ parser: @escaping Parser) { parsers[key] = parser }

    public var keys: [String] { parsers.keys.sorted() }

    /// Every step kind chaosctl knows: one line per kind. A fault module exports its options
    /// model (`optionNames`, `init(OptionValues)`); its adapter under Actions/ turns that
    /// into a `PlannedStep.Action`.
    public static var standard: ActionRegistry {
        var r = ActionRegistry()
        r.register("flag", FlagActions.parseFlag)
        r.register("flags", FlagActions.parseFlags)
        r.register("profile", FlagActions.parseProfile)
        r.register("command", CommandActions.parse)
        r.register("toxic") { node, duration, context in ToxiproxySteps.toxic(node, runSeed: context.seed).map { .fault($0, duration: duration) } }
        r.register("proxy") { node, duration, _ in ToxiproxySteps.proxyDown(node).map { .fault($0, duration: duration) } }
        r.register("netem", NetActions.parseNetem)
        r.register("tbf", NetActions.parseTbf)
        r.register("block", NetActions.parseBlock)
        r.register("pod", PodActions.parse)
        r.register("container", ContainerActions.parse)
        r.register("node", KubeActions.parseNode)
        r.register("scale", KubeActions.parseScale)
        r.register("partition", KubeActions.parsePartition)
        r.register("stress", StressActions.parse)
        return r
    }
}
