import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT/SIGTERM into an orderly revert: the handler runs on the router's thread (not
/// in signal context), so it may take locks, talk to the kernel and write the journal.
///
/// Several traps may be alive at once (a command's own trap around a repeated run, and a
/// `FaultHold` inside it): every live trap for a signal is called, through `SignalRouter`.
/// A signal delivered any time after `init` returns reaches the handler.
// @unchecked Sendable: `registrations` is only touched by init and cancel(), on the owner's thread; delivery never reads it.
public final class SignalTrap: @unchecked Sendable {
    private var registrations: [(Int32, Int)]

    public init(signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) {
        registrations = signals.map { ($0, SignalRouter.shared.add($0, handler)) }
    }

    /// Stop catching; once no trap is left for a signal, its previous disposition is back.
    public func cancel() {
        for (sig, id) in registrations { SignalRouter.shared.remove(sig, id: id) }
        registrations.removeAll()
    }

    /// The conventional exit status for a process ended by `signal` (128 + n).
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    /// For a program that blocked `signals` before any thread existed (chaosctl does it in a
    /// C constructor): catch them from now on for the whole process. Signals sent earlier are
    /// still pending and arrive now. A signal that no trap takes calls `untrapped`, with no
    /// trap able to start meanwhile, so nothing is applied after it; `untrapped` must end the
    /// process.
    public static func catchFromLaunch(signals: [Int32] = [SIGINT, SIGTERM], untrapped: @escaping (Int32) -> Never) {
        SignalRouter.shared.catchFromLaunch(signals, untrapped: untrapped)
    }
}

/// Holds faults until a deadline or a signal, then reverts what this process holds.
/// Create it *before* applying anything: from then on SIGINT/SIGTERM are caught, so a
/// signal that lands mid-apply still leads to a revert instead of killing the process. A
/// hold made after a live enclosing trap took a signal starts interrupted.
// @unchecked Sendable: `trap` is set in init and cleared by finish(), on the owner's thread; the handler only touches `caught` and `done`.
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
        // A signal an enclosing trap already took (e.g. between a command's rounds, just
        // before this hold began) counts as this hold's own: it must not start holding.
        if let sig = SignalRouter.shared.signalTakenByLiveTrap(among: [SIGINT, SIGTERM]) {
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

/// The first signal caught.
final class SignalBox: Sendable {
    private let value = Mutex<Int32?>(nil)
    func set(_ v: Int32) { value.withLock { if $0 == nil { $0 = v } } }
    func get() -> Int32? { value.withLock { $0 } }
}
