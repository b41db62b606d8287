import CChaosLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Delivers SIGINT/SIGTERM (or any trapped signal) to every live `SignalTrap`, losing none.
///
/// A C handler writes the signal number to a pipe the moment the signal is delivered, and one
/// reader thread turns each byte into handler calls (outside signal context). The handler is
/// installed before the trap is registered, so from `add`'s return no signal can slip through,
/// and a delivered signal is never swallowed: it is in the pipe until read.
///
/// Two modes. By default (a library host, a test runner) the handler is installed with the
/// first trap for a signal and the previous disposition restored with the last; a signal read
/// when no trap is left gets that disposition (it is raised again). After `catchFromLaunch`
/// (chaosctl: the signals were blocked before main), the handler stays for the whole process,
/// and a signal that no trap takes ends the process through the given `untrapped` closure.
// @unchecked Sendable: all mutable state is guarded by `lock`; the signal handler itself only writes to a pipe.
final class SignalRouter: @unchecked Sendable {
    static let shared = SignalRouter()

    private let lock = NSLock()
    private var handlers: [Int32: [Int: @Sendable (Int32) -> Void]] = [:]
    /// The signal each live registration has been given, if any (dropped with it).
    private var delivered: [Int: Int32] = [:]
    /// Signals whose forwarding handler is in place, with the disposition it replaced.
    private var forwarded: [Int32: sigaction] = [:]
    private var nextID = 0
    private var readFd: Int32 = -1
    private var untrapped: ((Int32) -> Never)?

    /// Install forwarding for `signals` for good, then let the reader thread (the only thread
    /// with them unblocked, when the caller blocked them before any thread existed) take them.
    func catchFromLaunch(_ signals: [Int32], untrapped: @escaping (Int32) -> Never) {
        lock.lock(); defer { lock.unlock() }
        self.untrapped = untrapped
        startReaderIfNeeded(unblockInterrupts: true, installing: signals)
    }

    func add(_ sig: Int32, _ handler: @escaping @Sendable (Int32) -> Void) -> Int {
        lock.lock(); defer { lock.unlock() }
        nextID += 1
        handlers[sig, default: [:]][nextID] = handler
        startReaderIfNeeded(unblockInterrupts: false, installing: [sig])
        return nextID
    }

    func remove(_ sig: Int32, id: Int) {
        lock.lock(); defer { lock.unlock() }
        handlers[sig]?[id] = nil
        delivered[id] = nil
        guard handlers[sig]?.isEmpty ?? true, untrapped == nil, var previous = forwarded[sig] else { return }
        sigaction(sig, &previous, nil)
        forwarded[sig] = nil
        handlers[sig] = nil
    }

    /// Caller holds the lock.
    private func install(_ sig: Int32) {
        var previous = sigaction()
        sigaction(sig, nil, &previous)
        guard cchaos_signal_forward(sig) == 0 else {
            fatalError("sigaction(\(sig)) failed: \(String(cString: strerror(errno)))")
        }
        forwarded[sig] = previous
    }

    /// Caller holds the lock. Makes the pipe (and points the C handler at it) on first use,
    /// and the reader thread after it: a handler installed in between already has its pipe.
    private func startReaderIfNeeded(unblockInterrupts: Bool, installing signals: [Int32]) {
        if readFd < 0 {
            var fds: [Int32] = [-1, -1]
            // Both ends close on exec: no child inherits them. The write end never blocks the handler.
            guard cchaos_pipe_nonblock(&fds) == 0 else {
                fatalError("signal pipe: \(String(cString: strerror(errno)))")
            }
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) & ~O_NONBLOCK)
            readFd = fds[0]
            cchaos_signal_forward_to(fds[1])
            // Handlers before the reader exists: when it unblocks the signals, one pending since
            // launch is delivered at once and must find the handler, not the default action.
            for sig in signals where forwarded[sig] == nil { install(sig) }
            let reader = Thread { [self, readFd = fds[0]] in
                if unblockInterrupts { _ = cchaos_mask_interrupts(0) }
                readForever(readFd)
            }
            reader.name = "chaosctl.signals"
            reader.start()
        }
        for sig in signals where forwarded[sig] == nil { install(sig) }
    }

    private func readForever(_ fd: Int32) {
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n == 1 { dispatch(Int32(byte)) } else if n == 0 || errno != EINTR { return }
        }
    }

    private func dispatch(_ sig: Int32) {
        lock.lock()
        let registered = (handlers[sig] ?? [:]).sorted { $0.key < $1.key }
        for (id, _) in registered where delivered[id] == nil { delivered[id] = sig }
        let live = registered.map(\.value)
        if live.isEmpty {
            // Under the lock, so no trap can be added (and nothing applied under it) meanwhile.
            if let untrapped { untrapped(sig) }
            lock.unlock()
            // The trap that was live at delivery is gone: act as the restored disposition would.
            if forwardedNow(sig) == false { kill(getpid(), sig) }
            return
        }
        lock.unlock()
        for h in live { h(sig) }
    }

    /// The first signal already given to a trap that is still live: an enclosing command was
    /// interrupted, so whatever starts inside it now must end at once.
    func signalTakenByLiveTrap(among signals: [Int32]) -> Int32? {
        lock.lock(); defer { lock.unlock() }
        return delivered.sorted { $0.key < $1.key }.first { signals.contains($0.value) }?.value
    }

    private func forwardedNow(_ sig: Int32) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return forwarded[sig] != nil
    }
}
