import ChaosCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The background load generator: runs in its own session (so stopping it stops wrk/k6 and
/// everything else it started), output kept in a log file for the report.
final class LoadProcess {
    let command: String
    let logPath: String
    private let process = Process()
    private let started = Date()
    private(set) var stoppedByRunner = false

    init(command: String, logPath: String, directory: String) throws {
        self.command = command
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        // setsid: the shell becomes a process-group leader, so -pid reaches all its children.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["/bin/sh", "-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Stop it if it still runs (SIGTERM to the group, SIGKILL after `grace`), then describe it.
    func finish(grace: Double = 3) -> (exitCode: Int32?, stoppedByRunner: Bool, seconds: Double, tail: String) {
        if process.isRunning {
            stoppedByRunner = true
            kill(-process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(grace)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(-process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(15).joined(separator: "\n")
        let code: Int32? = process.terminationReason == .exit ? process.terminationStatus : nil
        return (code, stoppedByRunner, seconds, tail.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
