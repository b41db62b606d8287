import Foundation
import ChaosProbe
#if canImport(Glibc)
import Glibc
#endif

/// Shows how a run is going: on a terminal, one status line rewritten in place
/// ("during  12.4s  ok 98.7%  p95 12.1ms"); otherwise (CI logs, pipes) a plain line at most
/// every `logInterval` seconds, because carriage returns make logs unreadable.
public final class ProgressReporter {
    /// What the status line shows.
    public struct Status: Equatable {
        public var phase: String
        public var elapsedSeconds: Double
        public var successRate: Double?
        public var p95Milliseconds: Double?
        public var samples: Int
        /// The load generator's recent figures ("k6 212 req/s, 0.5% errors"), if it is read.
        public var load: String?

        public init(phase: String, elapsedSeconds: Double, successRate: Double?, p95Milliseconds: Double?, samples: Int) {
            self.phase = phase
            self.elapsedSeconds = elapsedSeconds
            self.successRate = successRate
            self.p95Milliseconds = p95Milliseconds
            self.samples = samples
        }

        /// The status of a running loop's current phase.
        public init(of loop: ProbeLoop) {
            let current = loop.currentPhaseSamples()
            let stats = PhaseStatistics(phase: current.phase, samples: current.samples)
            self.init(phase: current.phase, elapsedSeconds: Double(loop.elapsedNanoseconds) / 1e9,
                      successRate: stats.successRate, p95Milliseconds: stats.latency?.p95Milliseconds, samples: stats.count)
        }

        public var text: String {
            let rate = successRate.map { String(format: "ok %.1f%%", $0 * 100) } ?? "ok –"
            let p95 = p95Milliseconds.map { String(format: "p95 %.1fms", $0) } ?? "p95 –"
            return String(format: "%@  %6.1fs  %@  %@  (%d samples)", phase, elapsedSeconds, rate, p95, samples)
                + (load.map { "  " + $0 } ?? "")
        }
    }

    public let isTerminal: Bool
    public let logInterval: Double
    private let write: (String) -> Void
    private var lastLog: Double?
    private var lineOpen = false

    /// - Parameters:
    ///   - fd: where to write (default stderr, so stdout stays clean for data).
    ///   - isTerminal: overrides the isatty(fd) check (tests).
    ///   - write: overrides the output (tests); default writes to `fd`.
    public init(fd: Int32 = STDERR_FILENO, isTerminal: Bool? = nil, logInterval: Double = 5,
                write: ((String) -> Void)? = nil) {
        self.isTerminal = isTerminal ?? (isatty(fd) == 1)
        self.logInterval = logInterval
        self.write = write ?? { text in
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                // Pointer into the whole buffer: `&bytes[offset]` would point at a one-byte temporary.
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n <= 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    /// Show a status: in place on a terminal, as a log line when `logInterval` has passed otherwise.
    public func update(_ status: Status) {
        if isTerminal {
            // \r + "erase line" so a shorter line leaves no tail behind.
            write("\r\u{1B}[2K" + status.text)
            lineOpen = true
        } else if lastLog.map({ status.elapsedSeconds - $0 >= logInterval }) ?? true {
            write("probe: " + status.text + "\n")
            lastLog = status.elapsedSeconds
        }
    }

    /// Print a message on its own line (a phase change, a fault), keeping the status line intact.
    public func log(_ message: String) {
        write((lineOpen ? "\r\u{1B}[2K" : "") + message + "\n")
        lineOpen = false
    }

    /// End the status line so later output starts on a fresh line.
    public func finish() {
        if lineOpen { write("\n") }
        lineOpen = false
    }
}
