import ChaosControl
import ChaosCore
import ChaosReport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The background load generator: `/bin/sh -c COMMAND` leading its own process group, so
/// stopping the group stops wrk/k6 and everything else the shell started; output kept in a
/// log file for the report.
final class LoadProcess {
    let command: String
    let logPath: String
    private let pid: pid_t
    private let group: ProcessGroup
    private let started = MonotonicClock.now()
    /// The leader's waitpid status once reaped.
    private var leaderStatus: Int32?

    init(command: String, logPath: String, directory: String) throws {
        self.command = command
        self.logPath = logPath
        // O_CLOEXEC: only this child gets the log (dup2 onto 1 and 2 clears the flag there).
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else {
            throw ChaosError("load: cannot create \(logPath): \(String(cString: strerror(errno)))")
        }
        defer { close(log) }
        pid = try ChildProcess.spawn(argv: ["/bin/sh", "-c", command], directory: directory, stdout: log, stderr: log)
        group = ProcessGroup(leader: pid)
    }

    /// Whether any process of the load still runs (the shell, or something it left behind).
    var isRunning: Bool {
        reapLeader()
        return leaderStatus == nil || !group.liveMembers().isEmpty
    }

    /// If it still runs: SIGTERM to the whole group, SIGKILL after `grace` seconds, and wait
    /// until no process of the group is left. The outcome says what really happened. A load
    /// that chaosctl stopped cleanly counts as ok (stopped by the runner, no exit code of its
    /// own); one it could not stop counts as failed.
    func finish(grace: Double = 3) -> LoadOutcome {
        var story: String?
        var stopped = true
        if isRunning {
            let ranFor = MonotonicClock.seconds(since: started)
            group.signal(SIGTERM)
            let termAt = MonotonicClock.now()
            if waitUntilGone(seconds: grace) {
                story = "stopped by chaosctl at the end of the run: it still ran after \(format(ranFor)); " +
                    "SIGTERM to its process group \(group.id), all gone \(format(MonotonicClock.seconds(since: termAt))) later"
            } else {
                let survivors = group.liveMembers()
                group.signal(SIGKILL)
                let killAt = MonotonicClock.now()
                if waitUntilGone(seconds: grace) {
                    story = "stopped by chaosctl at the end of the run: it still ran after \(format(ranFor)); " +
                        "SIGTERM to its process group \(group.id) left \(survivors.count) process(es) running " +
                        "\(format(grace)) later (pid \(survivors.map(String.init).joined(separator: ", "))); " +
                        "SIGKILL, all gone \(format(MonotonicClock.seconds(since: killAt))) later"
                } else {
                    stopped = false
                    let left = group.liveMembers()
                    story = "chaosctl could NOT stop it: after SIGTERM and SIGKILL to process group \(group.id), " +
                        "\(left.count) process(es) still run (pid \(left.map(String.init).joined(separator: ", ")))"
                }
            }
        }
        // Stopped by us: it has no exit code of its own to report (the report says so).
        let stoppedByRunner = story != nil && stopped
        let exitCode: Int32?
        if story == nil, let status = leaderStatus, case .exited(let code) = ChildProcess.decode(status) {
            exitCode = code
        } else {
            exitCode = nil
        }
        if story == nil, let status = leaderStatus, case .signaled(let sig) = ChildProcess.decode(status) {
            story = "ended by signal \(sig) before the end of the run"
        }
        let summary = [story, tail()].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
        return LoadOutcome(command: command, exitCode: exitCode, durationSeconds: MonotonicClock.seconds(since: started),
                           summary: summary, stoppedByRunner: stoppedByRunner)
    }

    private func reapLeader() {
        guard leaderStatus == nil else { return }
        var status: Int32 = 0
        var reaped = waitpid(pid, &status, WNOHANG)
        while reaped < 0 && errno == EINTR { reaped = waitpid(pid, &status, WNOHANG) }
        if reaped == pid { leaderStatus = status }
    }

    private func waitUntilGone(seconds limit: Double) -> Bool {
        let deadline = MonotonicClock.deadline(after: limit)
        while true {
            if !isRunning { return true }
            if MonotonicClock.now() >= deadline { return false }
            usleep(10_000)
        }
    }

    private func tail() -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(15).joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func format(_ s: Double) -> String { String(format: "%.2fs", s) }
}
