import Foundation

/// Reads a running child's pipe line by line on a background thread, so a test can wait for
/// one line with a timeout while the child is still running (a pipe, not a terminal: what
/// CI and `cmd > log` see).
final class PipeLineReader: @unchecked Sendable {
    private let lock = NSCondition()
    private var text = ""
    private var ended = false

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                lock.lock()
                if chunk.isEmpty { ended = true } else { text += String(decoding: chunk, as: UTF8.self) }
                lock.broadcast()
                lock.unlock()
                if chunk.isEmpty { return }
            }
        }
    }

    /// The first complete line containing `needle`, or nil if none came within `timeout`
    /// (or the pipe closed first).
    func line(containing needle: String, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock(); defer { lock.unlock() }
        while true {
            if let line = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().first(where: { $0.contains(needle) }) {
                return String(line)
            }
            if ended || !lock.wait(until: deadline) { return nil }
        }
    }

    /// Everything read so far.
    var all: String {
        lock.lock(); defer { lock.unlock() }
        return text
    }
}
