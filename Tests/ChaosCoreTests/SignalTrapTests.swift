import ChaosCore
import Foundation
import XCTest

final class SignalTrapTests: XCTestCase {
    /// Two traps alive at once (a command's trap and a FaultHold inside it) must both see
    /// the signal; a cancelled trap must not.
    func testOverlappingTrapsAllReceiveTheSignal() {
        let a = expectation(description: "first trap")
        let b = expectation(description: "second trap")
        b.assertForOverFulfill = false
        let first = SignalTrap(signals: [SIGUSR2]) { _ in a.fulfill() }
        let second = SignalTrap(signals: [SIGUSR2]) { _ in b.fulfill() }
        // libdispatch registers a new signal source asynchronously.
        Thread.sleep(forTimeInterval: 0.3)
        kill(getpid(), SIGUSR2)
        wait(for: [a, b], timeout: 5)

        first.cancel()
        let again = expectation(description: "second trap again")
        let counter = Counter()
        let third = SignalTrap(signals: [SIGUSR2]) { _ in counter.bump(); again.fulfill() }
        Thread.sleep(forTimeInterval: 0.3)
        kill(getpid(), SIGUSR2)
        wait(for: [again], timeout: 5)
        XCTAssertEqual(counter.value, 1)
        second.cancel()
        third.cancel()
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func bump() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}
