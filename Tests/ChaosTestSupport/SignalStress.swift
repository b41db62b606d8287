import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The signal stress of issue #11: start a command, send SIGINT or SIGTERM at a random
/// instant, and see whether (and how fast) it ends. Seeded, so a failing round can be replayed.
public struct SignalStress {
    /// One round: what was sent when, and how the process ended.
    public struct Round: CustomStringConvertible {
        public var index: Int
        public var signal: Int32
        public var delayMs: Int
        /// Seconds from the signal to the exit; nil when it had not ended within the limit
        /// (it was then SIGKILLed: a lost signal).
        public var secondsToExit: Double?
        public var reason: Process.TerminationReason
        public var status: Int32

        public var lost: Bool { secondsToExit == nil }
        /// Ended with exit status 128 + n for the signal it was sent.
        public var exitedForTheSignal: Bool { !lost && reason == .exit && status == 128 + signal }
        /// Killed by the signal itself: it came while the dynamic loader was still mapping
        /// libraries, before any of chaosctl's code could run (so before anything was applied).
        public var killedBeforeItsCodeRan: Bool { !lost && reason == .uncaughtSignal && status == signal }
        /// Either of the two: the process ended because of the signal, as the shell sees it (128 + n).
        public var endedByTheSignal: Bool { exitedForTheSignal || killedBeforeItsCodeRan }

        public var description: String {
            let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
            let end = lost ? "LOST (still running, SIGKILLed)"
                : "\(reason == .exit ? "exit" : "killed by signal") \(status) after \(String(format: "%.3f", secondsToExit!))s"
            return "round \(index): \(name) at \(delayMs)ms: \(end)"
        }
    }

    private var state: UInt64
    public let maxDelayMs: Int
    public let limit: Double

    public init(seed: UInt64, maxDelayMs: Int = 500, limit: Double = 2) {
        state = seed
        self.maxDelayMs = maxDelayMs
        self.limit = limit
    }

    /// SplitMix64: small, and the same sequence everywhere for a seed.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Start the process with `start`, signal it after a random 0…maxDelayMs, wait up to
    /// `limit` seconds for it to end (SIGKILL if it does not), and describe what happened.
    public mutating func round(_ index: Int, start: () throws -> Process) rethrows -> Round {
        let signal = next() % 2 == 0 ? SIGINT : SIGTERM
        let delayMs = Int(next() % UInt64(maxDelayMs + 1))
        let process = try start()
        usleep(UInt32(delayMs) * 1000)
        kill(process.processIdentifier, signal)
        let sentAt = DispatchTime.now().uptimeNanoseconds
        let deadline = sentAt + UInt64(limit * 1e9)
        while process.isRunning && DispatchTime.now().uptimeNanoseconds < deadline { usleep(1000) }
        var seconds: Double? = Double(DispatchTime.now().uptimeNanoseconds - sentAt) / 1e9
        if process.isRunning {
            seconds = nil
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return Round(index: index, signal: signal, delayMs: delayMs, secondsToExit: seconds,
                     reason: process.terminationReason, status: process.terminationStatus)
    }
}
