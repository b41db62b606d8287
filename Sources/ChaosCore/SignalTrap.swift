import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT/SIGTERM into an orderly revert: the handler runs on a dispatch queue (not in
/// signal context), so it may take locks, talk to the kernel and write the journal.
public final class SignalTrap: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "chaosctl.signals")

    public init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { handler(sig) }
            source.resume()
            sources.append(source)
        }
    }

    public func cancel() {
        for s in sources { s.cancel() }
        sources.removeAll()
    }

    /// The conventional exit status for a process ended by `signal` (128 + n).
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }
}

/// Holds faults until a deadline or a signal, then reverts what this process holds.
public enum FaultHold {
    public enum Ending: Equatable { case expired, signal(Int32) }

    /// Block until `deadline` (nil = until a signal) or SIGINT/SIGTERM, then revert everything
    /// `lifecycle` holds. Returns why it ended and the revert failures.
    public static func hold(_ lifecycle: FaultLifecycle, until deadline: Date?) -> (Ending, [(FaultRecord, Error)]) {
        let done = DispatchSemaphore(value: 0)
        let caught = SignalBox()
        let trap = SignalTrap { sig in
            caught.set(sig)
            done.signal()
        }
        defer { trap.cancel() }
        if let deadline {
            let timeout = DispatchTime.now() + max(0, deadline.timeIntervalSinceNow)
            _ = done.wait(timeout: timeout)
        } else {
            done.wait()
        }
        let failures = lifecycle.revertHeld()
        if let sig = caught.get() { return (.signal(sig), failures) }
        return (.expired, failures)
    }
}

private final class SignalBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int32?
    func set(_ v: Int32) { lock.lock(); if value == nil { value = v }; lock.unlock() }
    func get() -> Int32? { lock.lock(); defer { lock.unlock() }; return value }
}
