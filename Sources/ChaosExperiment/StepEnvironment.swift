import ChaosCore

/// What a one-shot or self-reverting step gets from the runner while it runs: the run's
/// lifecycle (its journal records kills and evictions; pauses are held in it) and the run's
/// log for progress lines. Steps never print.
public struct StepEnvironment {
    public let lifecycle: FaultLifecycle
    public let log: (String) -> Void

    public init(lifecycle: FaultLifecycle, log: @escaping (String) -> Void) {
        self.lifecycle = lifecycle
        self.log = log
    }
}
