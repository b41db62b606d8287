import ChaosTestSupport
import Foundation

/// A running chaosctl whose stdout and stderr are pipes read line by line (what CI and
/// `cmd > log` see), for tests that act on a line while the command still runs.
struct PipedChaosctl {
    let process: Process
    let stdout: PipeLineReader
    let stderr: PipeLineReader

    init(_ cli: Chaosctl, _ args: [String]) throws {
        let out = Pipe(), err = Pipe()
        process = try cli.start(args, stdout: out.fileHandleForWriting, stderr: err.fileHandleForWriting)
        // Only the child keeps the write ends, so the readers see EOF when it exits.
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        stdout = PipeLineReader(out)
        stderr = PipeLineReader(err)
    }

    /// SIGKILL (if still running) and reap: for a round that went wrong.
    func killAndReap() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
