import ChaosCore

/// Runs pod chaos from its options model: connect with kubectl's credentials, run every
/// round, and sum it up. Progress goes to `log`; nothing is printed here.
public enum PodChaos {
    public struct Summary {
        public var rounds: [PodChaosRound]
        /// One line: what was done, blocked and skipped.
        public var line: String
        public var blocked: Int

        /// Evictions a disruption budget refused end the command with exit code 8.
        public func check() throws {
            if blocked > 0 { throw ChaosError("\(blocked) eviction(s) blocked by disruption budget", exitCode: .conflict) }
        }
    }

    /// The client and namespace the options name.
    public static func connect(_ options: PodFaultOptions) throws -> (KubeClient, String?) {
        let target = try KubeConfigLoader.resolve(kubeconfig: options.kubeconfig, context: options.context)
        return (KubeClient(target: target, timeout: options.requestTimeout), options.namespace(in: target))
    }

    /// - Parameter journal: where kills and evictions are recorded (not used on a dry run).
    public static func run(_ options: PodFaultOptions, journal: FaultJournal, log: @escaping (String) -> Void) throws -> Summary {
        let (client, namespace) = try connect(options)
        let plan = options.plan(namespace: namespace)
        log("\(options.dryRun ? "[dry run] " : "")\(options.action.rawValue) via \(client.target.server) (\(client.target.origin))")
        let runner = PodChaosRunner(client: client, journal: options.dryRun ? nil : journal, log: log)
        let rounds = try runner.run(plan)
        let blocked = rounds.flatMap(\.blocked)
        let done = rounds.flatMap(\.results).filter { if case .done = $0.outcome { return true } else { return false } }
        let verb = options.action == .kill ? "deleted" : "evicted"
        let skipped = rounds.filter { $0.skipped != nil }.count
        let cap = KubeNumberFormat.number(options.maxPercent)
        let unmeasured = rounds.filter { $0.recoveryNotMeasured != nil && !options.dryRun }.count
        let line = "\(options.dryRun ? "would have " : "")\(verb) \(done.count) pod(s) in \(rounds.count) round(s)"
            + (blocked.isEmpty ? "" : ", \(blocked.count) blocked by disruption budget")
            + (skipped == 0 ? "" : ", \(skipped) round(s) skipped by the blast-radius cap --max-percent \(cap)")
            + (unmeasured == 0 ? "" : ", recovery not measured in \(unmeasured) round(s): nothing to recover to")
        return Summary(rounds: rounds, line: line, blocked: blocked.count)
    }
}
