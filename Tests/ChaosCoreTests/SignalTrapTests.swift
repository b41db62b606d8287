import ChaosCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class SignalTrapTests: XCTestCase {
    /// Two traps alive at once (a command's trap and a FaultHold inside it) must both see
    /// the signal; a cancelled trap must not.
    func testOverlappingTrapsAllReceiveTheSignal() {
        let a = expectation(description: "first trap")
        let b = expectation(description: "second trap")
        b.assertForOverFulfill = false
        let first = SignalTrap(signals: [SIGUSR2]) { _ in a.fulfill() }
        let second = SignalTrap(signals: [SIGUSR2]) { _ in b.fulfill() }
        kill(getpid(), SIGUSR2)
        wait(for: [a, b], timeout: 5)

        first.cancel()
        let again = expectation(description: "second trap again")
        let counter = Counter()
        let third = SignalTrap(signals: [SIGUSR2]) { _ in counter.bump(); again.fulfill() }
        kill(getpid(), SIGUSR2)
        wait(for: [again], timeout: 5)
        XCTAssertEqual(counter.value, 1)
        second.cancel()
        third.cancel()
    }

    /// Issue #11 item 7: a signal sent the instant the trap exists must reach it. (The trap
    /// used to install a no-op handler and let a dispatch source take over later; a signal in
    /// between was swallowed.)
    func testSignalSentTheMomentTheTrapExistsIsNeverLost() {
        for round in 0..<100 {
            let caught = DispatchSemaphore(value: 0)
            let trap = SignalTrap(signals: [SIGUSR1]) { _ in caught.signal() }
            kill(getpid(), SIGUSR1)
            let delivered = caught.wait(timeout: .now() + 3) == .success
            trap.cancel()
            guard delivered else { return XCTFail("round \(round): SIGUSR1 sent right after the trap was made never reached it") }
        }
    }

    /// A FaultHold made after an enclosing trap (still live) took SIGINT/SIGTERM must not start
    /// holding: `container pause` makes its hold inside a round that a signal already ended.
    func testHoldMadeAfterALiveTrapTookASignalEndsAtOnce() throws {
        let dir = NSTemporaryDirectory() + "signal-trap-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let taken = DispatchSemaphore(value: 0)
        let outer = SignalTrap(signals: [SIGTERM]) { _ in taken.signal() }
        defer { outer.cancel() }
        kill(getpid(), SIGTERM)
        XCTAssertEqual(taken.wait(timeout: .now() + 5), .success, "the outer trap never saw SIGTERM")

        let hold = FaultHold(FaultLifecycle(journal: FaultJournal(directory: dir)))
        XCTAssertEqual(hold.caughtSignal, SIGTERM)
        let start = Date()
        let (ending, failures) = hold.wait(until: Date().addingTimeInterval(20))
        XCTAssertEqual(ending, .signal(SIGTERM))
        XCTAssertTrue(failures.isEmpty)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "the hold waited for its deadline")

        // Once the interrupted trap is gone, a new hold starts clean.
        outer.cancel()
        let fresh = FaultHold(FaultLifecycle(journal: FaultJournal(directory: dir)))
        XCTAssertNil(fresh.caughtSignal)
        _ = fresh.finish()
    }

    /// Children never inherit what this process did to SIGINT/SIGTERM: a thread that blocks
    /// them (chaosctl blocks them from launch) or a process that ignores them (a background
    /// job of a shell) must still start a load generator that dies on SIGTERM.
    func testChildrenStartWithInterruptsUnblockedAndAtTheirDefault() throws {
        // A thread of its own: the blocked mask stays on it, not on XCTest's main thread.
        let box = OutcomeBox()
        let done = DispatchSemaphore(value: 0)
        let spawner = Thread {
            var interrupts = sigset_t()
            sigemptyset(&interrupts)
            sigaddset(&interrupts, SIGINT)
            sigaddset(&interrupts, SIGTERM)
            pthread_sigmask(SIG_BLOCK, &interrupts, nil)
            let oldInt = signal(SIGINT, SIG_IGN), oldQuit = signal(SIGQUIT, SIG_IGN)
            box.result = Result { try ProcessRunner.run(argv: ["/bin/sh", "-c", "grep -E '^Sig(Blk|Ign):' /proc/self/status"], timeout: 10) }
            signal(SIGINT, oldInt)
            signal(SIGQUIT, oldQuit)
            done.signal()
        }
        spawner.start()
        XCTAssertEqual(done.wait(timeout: .now() + 15), .success)
        let outcome = try XCTUnwrap(box.result).get()
        let masks = Dictionary(uniqueKeysWithValues: outcome.stdout.split(separator: "\n").compactMap { line -> (String, UInt64)? in
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let bits = UInt64(parts[1], radix: 16) else { return nil }
            return (parts[0], bits)
        })
        let blocked = try XCTUnwrap(masks["SigBlk"], outcome.stdout)
        let ignored = try XCTUnwrap(masks["SigIgn"], outcome.stdout)
        for sig in [SIGINT, SIGTERM, SIGQUIT] {
            XCTAssertEqual(blocked & (1 << UInt64(sig - 1)), 0, "signal \(sig) blocked in the child: \(outcome.stdout)")
            XCTAssertEqual(ignored & (1 << UInt64(sig - 1)), 0, "signal \(sig) ignored in the child: \(outcome.stdout)")
        }
    }
}

// @unchecked Sendable: written by the caller thread before it signals, read only after the wait.
private final class OutcomeBox: @unchecked Sendable {
    var result: Result<ProcessRunner.Outcome, Error>?
}

// @unchecked Sendable: `n` is guarded by `lock`.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func bump() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
