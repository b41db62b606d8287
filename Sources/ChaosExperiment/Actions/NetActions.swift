import ChaosConfig
import ChaosNet
import ChaosTargets

/// `netem:`, `tbf:` and `block:` steps: ChaosNet's options models as held faults.
///
/// ```yaml
/// - netem: {dev: eth0, netns: red, delay: 100ms, jitter: 10ms, loss: 1%}
///   duration: 30s
/// - tbf: {dev: eth0, container: web, rate: 1mbit, burst: 32kbit, latency: 50ms}
///   duration: 30s
/// - block: {port: 5432, netns: app, reject: true}
///   duration: 30s
/// ```
/// A netem step without its own `seed` seeds netem's generator from the run's seed.
enum NetActions {
    static func parseNetem(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard var options = node.options(NetemFaultOptions.optionNames, NetemFaultOptions.init) else { return nil }
        let derived = options.spec.seed == nil ? context.stepSeed(node) : nil
        if let derived { options.spec.seed = derived }
        return node.fault(duration) {
            var fault = try options.fault(containerPid: try containerPid(options.placement))
            fault.seedIsDerived = derived != nil
            return fault
        }
    }

    static func parseTbf(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard let options = node.options(TbfFaultOptions.optionNames, TbfFaultOptions.init) else { return nil }
        return node.fault(duration) { try options.fault(containerPid: try containerPid(options.placement)) }
    }

    static func parseBlock(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard let options = node.options(PortBlockOptions.optionNames, PortBlockOptions.init) else { return nil }
        return node.fault(duration) { try options.fault(containerPid: try containerPid(options.placement)) }
    }

    static func containerPid(_ placement: QdiscPlacementOptions) throws -> Int32? { try containerPid(placement.namespace) }

    /// A container's network namespace is its main process's, as its engine reports it.
    static func containerPid(_ placement: NetnsPlacementOptions) throws -> Int32? {
        try placement.container.map { try ContainerNetns.mainPid(of: $0, dockerHost: placement.dockerHost) }
    }
}
