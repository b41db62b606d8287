import Foundation

/// A stop request shared between a signal handler and a running schedule.
// @unchecked Sendable: the signal number is guarded by `lock`; the schedule fields are set before the flag is shared.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    private var signalNumber: Int32?

    public init() {}

    public func trigger(_ signal: Int32) {
        lock.lock()
        let first = signalNumber == nil
        if first { signalNumber = signal }
        lock.unlock()
        if first { wake.signal() }
    }

    public var signal: Int32? {
        lock.lock(); defer { lock.unlock() }
        return signalNumber
    }

    /// Sleep up to `seconds`; returns early (true) if stopped.
    func sleep(_ seconds: Double) -> Bool {
        if signal != nil { return true }
        if seconds <= 0 { return false }
        return wake.wait(timeout: .now() + seconds) == .success || signal != nil
    }
}

/// Serial repetition: one round every `interval` until `duration` has passed. Rounds never
/// overlap; a round longer than the interval delays the next one.
public struct RepeatedChaos: Equatable, Sendable {
    public var interval: Double
    public var duration: Double

    public init(interval: Double, duration: Double) {
        self.interval = interval
        self.duration = duration
    }

    /// Rounds start at 0, interval, 2×interval, … while that is before the duration's end
    /// ("every 10s for 60s" is six rounds); always at least one.
    public var maxRounds: Int { interval > 0 && duration > 0 ? max(1, Int((duration / interval).rounded(.up))) : 1 }

    /// Run `round(index)` until the duration is used up, `round` returns false, or `stop` is
    /// triggered. Returns the number of rounds run.
    @discardableResult
    public func run(stop: StopFlag, round: (Int) -> Bool) -> Int {
        let start = Date()
        var index = 0
        while index < maxRounds && stop.signal == nil {
            let plannedStart = start.addingTimeInterval(Double(index) * interval)
            if stop.sleep(plannedStart.timeIntervalSinceNow) { break }
            // The first round always runs; a later one that slipped past the end (because
            // earlier rounds overran their interval) does not.
            guard index == 0 || Date().timeIntervalSince(start) < duration else { break }
            let keepGoing = round(index)
            index += 1
            if !keepGoing { break }
        }
        return index
    }
}
