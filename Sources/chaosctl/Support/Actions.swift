import ChaosExperiment

/// Every step kind an experiment may use: the standard ones (flags, profiles, commands)
/// plus those of the fault modules linked into this binary.
enum Actions {
    static func registry(seed: UInt64?) -> ActionRegistry {
        ActionRegistry.standard
    }
}
