import ChaosCore
import Foundation

/// Runs one chaos action on selected containers: dry-run plans, one-shot actions recorded
/// as journal events, pause, disconnect and limit as held faults, and optional recovery timing.
public final class ContainerChaos {
    /// What happened to one container.
    public struct Outcome {
        public var container: ContainerSummary
        public var action: ContainerAction
        public var dryRun: Bool
        /// What was (or would be) done, e.g. "SIGKILL host pid 4242".
        public var detail: String
        /// Nil on success.
        public var error: Error?
        public var recovery: Recovery?
        public var ok: Bool { error == nil }
    }

    /// One round's result; `interrupted` is the signal that cut a pause short.
    public struct RoundResult {
        public var outcomes: [Outcome]
        public var interrupted: Int32?
    }

    public let engine: ContainerEngine
    public let lifecycle: FaultLifecycle
    private let log: (String) -> Void

    /// - Parameters:
    ///   - lifecycle: journals pause faults and records events; `ContainerPauseReverter` is
    ///     registered on it here.
    ///   - log: progress lines (actions as they happen).
    public init(engine: ContainerEngine, lifecycle: FaultLifecycle, log: @escaping (String) -> Void = { _ in }) {
        self.engine = engine
        self.lifecycle = lifecycle
        self.log = log
        lifecycle.register(ContainerPauseReverter())
        lifecycle.register(ContainerDisconnectReverter())
        lifecycle.register(ContainerLimitReverter())
    }

    /// Apply `action` to `targets`. With `dryRun`, only reads from the engine (inspect, to
    /// show the PID a crash would kill) and reports what it would do.
    /// - Parameter waitRecovered: seconds to wait for each container to run again.
    public func run(_ action: ContainerAction, on targets: [ContainerSummary], dryRun: Bool,
                    waitRecovered: Double? = nil) -> RoundResult {
        if action.heldDuration != nil {
            return hold(action, targets, dryRun: dryRun, waitRecovered: waitRecovered)
        }
        var outcomes: [Outcome] = []
        for c in targets {
            outcomes.append(oneShot(action, on: c, dryRun: dryRun, waitRecovered: waitRecovered))
        }
        return RoundResult(outcomes: outcomes, interrupted: nil)
    }

    private func label(_ c: ContainerSummary) -> String { "\(c.name) (\(c.shortID))" }

    private func oneShot(_ action: ContainerAction, on c: ContainerSummary, dryRun: Bool, waitRecovered: Double?) -> Outcome {
        var outcome = Outcome(container: c, action: action, dryRun: dryRun, detail: action.summary, error: nil, recovery: nil)
        do {
            // The start time before the action tells a restart apart from "still the old run".
            let before = (waitRecovered != nil || action == .crash) ? try engine.inspect(c.id) : nil
            if dryRun {
                if action == .crash, let before {
                    outcome.detail = "SIGKILL host pid \(try HostProcessCrash.verifiedPid(before)) (restart policy '\(before.restartPolicy.isEmpty ? "no" : before.restartPolicy)')"
                }
                log("would \(action.name) \(label(c)): \(outcome.detail)")
                return outcome
            }
            let started = Date()
            switch action {
            case .kill(let signal): try engine.kill(c.id, signal: signal)
            case .crash:
                let pid = try HostProcessCrash.crash(before!)
                outcome.detail = "SIGKILL host pid \(pid)"
            case .stop(let t):
                if !(try engine.stop(c.id, timeout: t)) { outcome.detail = "already stopped" }
            case .start:
                if !(try engine.start(c.id)) { outcome.detail = "already running" }
            case .restart(let t): try engine.restart(c.id, timeout: t)
            case .pause, .disconnect, .limit: break
            }
            log("\(action.name) \(label(c)): \(outcome.detail)")
            recordEvent(action, c, outcome.detail)
            if let waitRecovered {
                let r = RecoveryWaiter.wait(engine: engine, id: c.id, previousStart: before?.state.startedAt,
                                            since: started, timeout: waitRecovered)
                outcome.recovery = r
                log(r.recovered ? "\(label(c)) running again after \(DurationParser.format(r.seconds))"
                                : "\(label(c)) not running again within \(DurationParser.format(waitRecovered))")
            }
        } catch {
            outcome.error = named(error, c)
            log("\(action.name) \(label(c)) failed: \(outcome.error!)")
        }
        return outcome
    }

    /// Engine errors name the container by the ID the call used; people know it by name.
    /// Errors about something else (a network) name no container and are left as they are.
    private func named(_ error: Error, _ c: ContainerSummary) -> Error {
        guard var e = error as? ContainerEngineError, e.container != nil else { return error }
        e.container = label(c)
        return e
    }

    private func recordEvent(_ action: ContainerAction, _ c: ContainerSummary, _ detail: String) {
        let event = FaultJournal.Event(kind: "container-\(action.name)", target: "container \(label(c)) on \(engine.host)",
                                       summary: detail)
        do { try lifecycle.journal.appendEvent(event) } catch { log("warning: cannot record event: \(error)") }
    }

    /// Hold a fault on every target (pause, disconnect, limit) until the duration passes or
    /// SIGINT/SIGTERM arrives, then revert through the lifecycle (which also drops the journal
    /// records).
    private func hold(_ action: ContainerAction, _ targets: [ContainerSummary], dryRun: Bool, waitRecovered: Double?) -> RoundResult {
        switch action {
        case .disconnect(let network, let d):
            return hold(action, targets.map { ContainerDisconnectFault(engine: engine, container: $0, network: network, duration: d) },
                        duration: d, dryRun: dryRun, waitRecovered: waitRecovered, plan: { try $0.plan() })
        case .limit(let change, let d):
            return hold(action, targets.map { ContainerLimitFault(engine: engine, container: $0, change: change, duration: d) },
                        duration: d, dryRun: dryRun, waitRecovered: waitRecovered, plan: { try $0.plan() })
        case .pause(let d):
            return hold(action, targets.map { ContainerPauseFault(engine: engine, container: $0, duration: d) },
                        duration: d, dryRun: dryRun, waitRecovered: waitRecovered, plan: { _ in action.summary })
        default:
            return RoundResult(outcomes: [], interrupted: nil)
        }
    }

    /// - Parameter plan: what a dry run says it would do; it only reads, and may refuse (a
    ///   container not on the network, a limit below its usage), as the real run would.
    private func hold<F: ContainerHeldFault>(_ action: ContainerAction, _ faults: [F], duration: Double?, dryRun: Bool,
                                             waitRecovered: Double?, plan: (F) throws -> String) -> RoundResult {
        var outcomes: [Outcome] = []
        if dryRun {
            for fault in faults {
                let c = fault.container
                var outcome = Outcome(container: c, action: action, dryRun: true, detail: action.summary, error: nil, recovery: nil)
                do {
                    outcome.detail = try plan(fault)
                    log("would \(action.name) \(label(c)): \(outcome.detail)")
                } catch {
                    outcome.error = named(error, c)
                    log("\(action.name) \(label(c)) refused: \(outcome.error!)")
                }
                outcomes.append(outcome)
            }
            return RoundResult(outcomes: outcomes, interrupted: nil)
        }
        // Trap SIGINT/SIGTERM before the first fault, so no signal can strand one.
        var records: [String: FaultRecord] = [:]
        var errors: [String: Error] = [:]
        let verb = action.pastTense
        let held = FaultHoldRun(lifecycle, seconds: duration).run(faults, applied: { fault, record in
            let c = fault.container
            records[c.id] = record
            log("\(verb) \(label(c)) (fault \(record.id))")
        }, failed: { fault, error in
            let c = fault.container
            errors[c.id] = named(error, c)
            log("\(action.name) \(label(c)) failed: \(errors[c.id]!)")
        })
        for c in faults.map(\.container) where records[c.id] != nil || errors[c.id] != nil {
            outcomes.append(Outcome(container: c, action: action, dryRun: false, detail: action.summary, error: errors[c.id], recovery: nil))
        }
        guard let held else { return RoundResult(outcomes: outcomes, interrupted: nil) }
        let revertedAt = Date()
        for (record, error) in held.failures {
            if let i = outcomes.firstIndex(where: { records[$0.container.id]?.id == record.id }) {
                outcomes[i].error = ChaosError("\(action.revertName) failed (still journaled; run `chaosctl recover`): \(error)")
            }
        }
        for note in held.leftAlone { log("left alone: \(note)") }
        for i in outcomes.indices where outcomes[i].ok && records[outcomes[i].container.id] != nil {
            log("\(action.revertVerb) \(label(outcomes[i].container))")
            if let waitRecovered {
                outcomes[i].recovery = RecoveryWaiter.wait(engine: engine, id: outcomes[i].container.id, previousStart: nil,
                                                           since: revertedAt, timeout: waitRecovered)
            }
        }
        if case .signal(let sig) = held.ending { return RoundResult(outcomes: outcomes, interrupted: sig) }
        return RoundResult(outcomes: outcomes, interrupted: nil)
    }
}

/// A held fault on one container (pause, disconnect, limit).
protocol ContainerHeldFault: Fault {
    var container: ContainerSummary { get }
}

extension ContainerPauseFault: ContainerHeldFault {}
extension ContainerDisconnectFault: ContainerHeldFault {}
extension ContainerLimitFault: ContainerHeldFault {}

extension ContainerAction {
    /// "paused", "disconnected", "limited": the log line after applying.
    var pastTense: String {
        switch self {
        case .disconnect: return "disconnected"
        case .limit: return "limited"
        default: return "paused"
        }
    }

    /// "unpause", "reconnect", "restore limits": what failed when a revert fails.
    var revertName: String {
        switch self {
        case .disconnect: return "reconnect"
        case .limit: return "restore limits"
        default: return "unpause"
        }
    }

    /// "unpaused", "reconnected", "restored limits of": the log line after reverting.
    var revertVerb: String {
        switch self {
        case .disconnect: return "reconnected"
        case .limit: return "restored the limits of"
        default: return "unpaused"
        }
    }
}
