import ChaosConfig
import ChaosCore

extension ExperimentContext {
    /// The seed of the step at `node`, derived from the run's seed and the step's place in
    /// the file (so adding a step does not change what the others choose); nil when the run
    /// has no seed.
    func stepSeed(_ node: ConfigNode) -> UInt64? {
        seed.map { SeedDerivation.seed($0, for: node.path) }
    }
}

extension ConfigNode {
    /// Read a fault module's options model from this step: the keys `allowed` (CLI names),
    /// each bad value reported where it is written.
    func options<Model>(_ allowed: [String], ignoring: Set<String> = [], _ make: (OptionValues) throws -> Model) -> Model? {
        guard let values = optionValues(allowed: allowed, ignoring: ignoring) else { return nil }
        return build(values, make)
    }

    /// Build the fault now, so what only the fault checks (a distribution table, a
    /// container's namespace) is reported at validation, not mid-run.
    func fault(_ duration: Double?, _ make: () throws -> Fault) -> PlannedStep.Action? {
        do { return .fault(try make(), duration: duration) } catch {
            problem("\(error)")
            return nil
        }
    }
}
