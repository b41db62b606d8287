import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGINT/SIGTERM into an orderly revert: the handler runs on a dispatch queue (not in
/// signal context), so it may take locks, talk to the kernel and write the journal.
///
/// Several traps may be alive at once (a command's own trap around a repeated run, and a
/// `FaultHold` inside it): every live trap for a signal is called. On Linux, libdispatch
/// delivers a signal to only one of several sources for it, so all traps share one source
/// per signal through `SignalRouter`.
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
}

/// One dispatch signal source per signal, fanning out to every registered handler. Made
/// with the first trap for a signal, dropped with the last, which restores the disposition
/// the signal had before.
final class SignalRouter: @unchecked Sendable {
    static let shared = SignalRouter()

    private struct Slot {
        var source: DispatchSourceSignal
        var previous: sigaction
        var handlers: [Int: @Sendable (Int32) -> Void] = [:]
    }

    private let lock = NSLock()
    private let queue = DispatchQueue(label: "chaosctl.signals")
    private var slots: [Int32: Slot] = [:]
    private var nextID = 0

    func add(_ sig: Int32, _ handler: @escaping @Sendable (Int32) -> Void) -> Int {
        lock.lock(); defer { lock.unlock() }
        nextID += 1
        if slots[sig] == nil {
            // A no-op handler rather than SIG_IGN: it stops the default action just as well,
            // but unlike an ignored disposition it is not inherited by the commands we start
            // (a load generator must still die on SIGTERM).
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in }
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(sig, &action, &old)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [weak self] in self?.fire(sig) }
            source.resume()
            slots[sig] = Slot(source: source, previous: old)
        }
        slots[sig]!.handlers[nextID] = handler
        return nextID
    }

    func remove(_ sig: Int32, id: Int) {
        lock.lock(); defer { lock.unlock() }
        guard var slot = slots[sig] else { return }
        slot.handlers[id] = nil
        if slot.handlers.isEmpty {
            slot.source.cancel()
            var restore = slot.previous
            sigaction(sig, &restore, nil)
            slots[sig] = nil
        } else {
            slots[sig] = slot
        }
    }

    private func fire(_ sig: Int32) {
        lock.lock()
        let live = (slots[sig]?.handlers ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        lock.unlock()
        for h in live { h(sig) }
    }
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
