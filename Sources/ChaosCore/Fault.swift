import Foundation

/// One fault some module can inject. Applying is the fault's job; reverting is done by the
/// kind's `FaultReverter` from the journaled record, so the same code reverts at expiry,
/// on SIGINT/SIGTERM, and in `chaosctl recover` from a process that never saw the fault.
public protocol Fault {
    /// The kind, naming the reverter ("flag", "netem", "toxic", …).
    var kind: String { get }
    /// Human-readable target ("eth0 in netns red").
    var target: String { get }
    /// Human-readable parameters ("delay 100ms loss 5%").
    var summary: String { get }
    /// What the reverter needs, journaled before `apply()` runs. Capture the prior state
    /// here (e.g. the qdisc that was there) so revert restores it exactly.
    func revertData() throws -> [String: String]
    /// Make the fault take effect. If this throws, the lifecycle runs the reverter on the
    /// record anyway (a partial apply must not stay behind), so reverters must tolerate
    /// a fault that is only half there or not there at all.
    func apply() throws
}

/// Reverts faults of one kind from their journaled record. Must be idempotent: reverting
/// something already gone succeeds.
public protocol FaultReverter {
    var kind: String { get }
    func revert(_ record: FaultRecord) throws
}
