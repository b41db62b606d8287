import ChaosCore
import Foundation

/// `node cordon|drain`: choose the nodes (never every node), check the drain can go ahead,
/// then cordon each as a held fault, evict its pods (drain), hold, and uncordon.
public enum NodeChaos {
    public static func run(_ options: NodeFaultOptions, lifecycle: FaultLifecycle,
                           log: @escaping (String) -> Void) throws -> KubeFaultSummary {
        let client = try options.connection.client()
        let nodes = try choose(options, client: client)
        let faults = nodes.map { NodeCordonFault(client: client, connection: options.connection, node: $0, taint: options.taint) }
        // Everything a refusal needs is read before the first change.
        for fault in faults { try fault.preflight() }
        let drain = NodeDrain(client: client, gracePeriodSeconds: options.gracePeriodSeconds, timeout: options.timeout, log: log)
        var plans: [String: NodeDrain.Plan] = [:]
        if options.action == .drain {
            for node in nodes { plans[node] = try drain.plan(node: node) }
            if !options.dryRun { for plan in plans.values { try drain.checkPermission(plan) } }
            let unmanaged = plans.values.flatMap(\.unmanaged)
            if !unmanaged.isEmpty && !options.force {
                throw ChaosError("no controller manages \(unmanaged.map(\.id).joined(separator: ", ")): evicted, they would not come back; pass --force to drain anyway",
                                 exitCode: .usage)
            }
        }
        let stop = StopFlag()
        if options.dryRun {
            var outcome = NodeDrain.Outcome()
            for fault in faults {
                try fault.dryRun()
                log("would cordon node \(fault.node) (server-side dry run)")
                if let plan = plans[fault.node] { outcome.blocked += try drain.evict(plan, dryRun: true, stop: stop).blocked }
            }
            return KubeFaultSummary(line: "dry run: \(faults.count) node(s) would be cordoned; nothing changed",
                                    interrupted: nil, failure: drainFailure(outcome, timeout: options.timeout))
        }
        let trap = SignalTrap { stop.trigger($0) }
        defer { trap.cancel() }
        var outcome = NodeDrain.Outcome()
        var evictionError: ChaosError?
        var summary = try KubeFaultHold.run(faults, seconds: options.seconds, lifecycle: lifecycle, log: log) { fault in
            guard let plan = plans[fault.node], stop.signal == nil else { return nil }
            do {
                let node = try drain.evict(plan, dryRun: false, stop: stop)
                outcome.blocked += node.blocked
                outcome.stillTerminating += node.stillTerminating
            } catch {
                log("drain of \(fault.node) stopped: \(error)")
                evictionError = ChaosError("drain of \(fault.node): \(error)", exitCode: (error as? ChaosFailure)?.exitCode ?? .failure)
            }
            return nil
        }
        if summary.failure == nil { summary.failure = evictionError ?? drainFailure(outcome, timeout: options.timeout) }
        return summary
    }

    /// Blocked evictions are a conflict (8); pods evicted but not deleted within the
    /// timeout are a failure (1) naming them.
    static func drainFailure(_ outcome: NodeDrain.Outcome, timeout: Double) -> ChaosError? {
        if outcome.blocked > 0 {
            return ChaosError("\(outcome.blocked) eviction(s) blocked by disruption budget", exitCode: .conflict)
        }
        if !outcome.stillTerminating.isEmpty {
            return ChaosError("still terminating after --timeout \(DurationParser.format(timeout)): "
                              + outcome.stillTerminating.map(\.id).joined(separator: ", "), exitCode: .failure)
        }
        return nil
    }

    /// The named node, or the nodes the selector matches; refused when that is every node
    /// of the cluster (the blast radius of a cordon is the whole cluster's capacity).
    static func choose(_ options: NodeFaultOptions, client: KubeClient) throws -> [String] {
        let all = try client.listNodes()
        let chosen: [String]
        if let name = options.node {
            guard all.contains(where: { $0.name == name }) else {
                throw ChaosError("node \(name) not found on \(client.target.server) (nodes: \(all.map(\.name).joined(separator: ", ")))",
                                 exitCode: .notFound)
            }
            chosen = [name]
        } else {
            chosen = try client.listNodes(labelSelector: options.selector).map(\.name)
            if chosen.isEmpty {
                throw ChaosError("no node matches '\(options.selector ?? "")'", exitCode: .notFound)
            }
        }
        if chosen.count >= all.count {
            throw ChaosError("\(chosen.count == 1 ? "node \(chosen[0]) is" : "those \(chosen.count) nodes are") every node of the cluster: refused (nothing would be left to run the pods)",
                             exitCode: .usage)
        }
        return chosen
    }
}
