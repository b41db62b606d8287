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
/// The options are checked when the file is validated; the target (container, pid, or the
/// runner's own process tree) is looked up, and a memory size checked against its cgroup,
/// when the step runs (`StressStepFault`), so `validate` needs no container engine.
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
        if options.dryRun {
            return .oneShot(summary: "stress \(options.resource.summary) in \(StressStepFault.describeTarget(options)) (dry run)") { _ in
                try resolve(options, duration).plan
            }
        }
        return .fault(StressStepFault(options: options, holdSeconds: duration), duration: duration)
    }

    static func resolve(_ options: StressFaultOptions, _ holdSeconds: Double?) throws -> StressFault {
        try options.resolvedFault(holdSeconds: holdSeconds)
    }
}

extension StressFaultOptions {
    /// The fault for the target as it is now: its cgroups (a container's found through its
    /// engine; ChaosStress knows none), and a memory size checked against them. What both
    /// `chaosctl stress` and a `stress:` step run.
    public func resolvedFault(holdSeconds: Double?) throws -> StressFault {
        let container = try container.map { try ContainerMainProcess.of($0, dockerHost: dockerHost) }
        return try fault(placement: try placement(containerProcess: container), holdSeconds: holdSeconds)
    }
}
