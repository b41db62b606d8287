import ChaosConfig
import ChaosCore
import ChaosStress
import ChaosTargets

/// `stress:` steps: ChaosStress's options model as a held fault (workers ended when the
/// step's duration ends, or when the method ends without one).
///
/// ```yaml
/// - stress: {resource: cpu, workers: 2, load: 80, container: web}
///   duration: 30s
/// - stress: {resource: memory, size: 256MiB, pid: 4242}
///   duration: 1m
/// ```
/// The target (container, pid, or the runner's own process tree) is looked up, and a memory
/// size checked against its cgroup, when the file is validated.
enum StressActions {
    static func parse(_ node: ConfigNode, _ duration: Double?, _ context: ExperimentContext) -> PlannedStep.Action? {
        guard node.entries() != nil else { return nil }
        let resources = StressFaultOptions.resources
        guard let resource = node["resource"]?.choice(resources) else {
            if node["resource"] == nil { node.problem("a stress step needs 'resource' (\(resources.joined(separator: ", ")))") }
            return nil
        }
        guard let values = node.optionValues(allowed: StressFaultOptions.optionNames(resource: resource), ignoring: ["resource"]),
              let options = node.build(values, { try StressFaultOptions(resource: resource, $0) }) else { return nil }
        do {
            let fault = try options.fault(placement: try placement(options), holdSeconds: duration)
            if options.dryRun {
                return .oneShot(summary: "stress \(fault.summary) (dry run)") { _ in fault.plan }
            }
            return .fault(fault, duration: duration)
        } catch {
            node.problem("\(error)")
            return nil
        }
    }

    /// The target's cgroups, a container's found through its engine.
    static func placement(_ options: StressFaultOptions) throws -> CgroupPlacement {
        try options.placement(containerProcess: try options.container.map { try ContainerMainProcess.of($0, dockerHost: options.dockerHost) })
    }
}
