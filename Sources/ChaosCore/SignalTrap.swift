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
/// Create it *before* applying anything: from then on SIGINT/SIGTERM are caught, so a
/// signal that lands mid-apply still leads to a revert instead of killing the process.
public final class FaultHold: @unchecked Sendable {
    public enum Ending: Equatable { case expired, signal(Int32) }

    private let lifecycle: FaultLifecycle
    private let done = DispatchSemaphore(value: 0)
    private let caught = SignalBox()
    private var trap: SignalTrap?

    public init(_ lifecycle: FaultLifecycle) {
        self.lifecycle = lifecycle
        let done = self.done, caught = self.caught
        trap = SignalTrap { sig in
            caught.set(sig)
            done.signal()
        }
    }

    /// The signal caught so far, if any (e.g. to stop applying more faults).
    public var caughtSignal: Int32? { caught.get() }

    /// Block until `deadline` (nil = until a signal) or SIGINT/SIGTERM, then revert everything
    /// the lifecycle holds. Returns why it ended and the revert failures.
    public func wait(until deadline: Date?) -> (Ending, [(FaultRecord, Error)]) {
        if let deadline {
            _ = done.wait(timeout: DispatchTime.now() + max(0, deadline.timeIntervalSinceNow))
        } else {
            done.wait()
        }
        return finish()
    }

    /// Revert now (e.g. after an error) and stop catching signals.
    public func finish() -> (Ending, [(FaultRecord, Error)]) {
        let failures = lifecycle.revertHeld()
        trap?.cancel()
        trap = nil
        if let sig = caught.get() { return (.signal(sig), failures) }
        return (.expired, failures)
    }
}

final class SignalBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int32?
    func set(_ v: Int32) { lock.lock(); if value == nil { value = v }; lock.unlock() }
    func get() -> Int32? { lock.lock(); defer { lock.unlock() }; return value }
}
