import XCTest
@testable import ChaosProbe
#if canImport(Glibc)
import Glibc
#endif

final class CommandProbeTests: XCTestCase {
    func testExitCodes() throws {
        XCTAssertEqual(try CommandProbe(invocation: .shell("exit 0")).check(), .healthy)
        let failed = try CommandProbe(invocation: .shell("echo boom >&2; exit 3")).check()
        XCTAssertFalse(failed.ok)
        XCTAssertEqual(failed.reason, "exit code 3, expected 0: boom")
        XCTAssertEqual(try CommandProbe(invocation: .shell("exit 3"), expectedExitCodes: [0, 3]).check(), .healthy)
    }

    func testArgvRunsWithoutShell() throws {
        let probe = try CommandProbe(invocation: .argv(["printf", "%s", "a;b"]), stdoutPattern: "^a;b$")
        XCTAssertEqual(probe.check(), .healthy)
        let missing = try CommandProbe(invocation: .argv(["/nonexistent/chaos-tool"])).check()
        XCTAssertFalse(missing.ok)
        XCTAssertTrue(missing.reason?.contains("cannot run") ?? false, missing.reason ?? "")
        XCTAssertThrowsError(try CommandProbe(invocation: .argv([])))
    }

    func testStdoutRegex() throws {
        XCTAssertEqual(try CommandProbe(invocation: .shell("echo 'replicas: 3'"), stdoutPattern: "replicas: [1-9]").check(), .healthy)
        let mismatch = try CommandProbe(invocation: .shell("echo 'replicas: 0'"), stdoutPattern: "replicas: [1-9]").check()
        XCTAssertFalse(mismatch.ok)
        XCTAssertTrue(mismatch.reason?.hasPrefix("stdout does not match") ?? false)
        XCTAssertThrowsError(try CommandProbe(invocation: .shell("true"), stdoutPattern: "(unclosed"))
    }

    /// A timeout must kill the whole process group, including a background grandchild.
    func testTimeoutKillsProcessGroup() throws {
        let pidFile = NSTemporaryDirectory() + "chaos-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).pid"
        defer { unlink(pidFile) }
        // 2 s leaves sh ample time to start the grandchild and write its pid even on a loaded
        // machine; the grandchild's 30 s is what a surviving process group would cost.
        let probe = try CommandProbe(invocation: .shell("sleep 30 & echo $! > \(pidFile); wait"), timeout: 2)
        let started = Date()
        let check = probe.check()
        let took = Date().timeIntervalSince(started)
        XCTAssertFalse(check.ok)
        XCTAssertTrue(check.reason?.hasPrefix("timed out after 2s; killed process group") ?? false, check.reason ?? "")
        XCTAssertGreaterThanOrEqual(took, 2, "gave up before the timeout")
        // Not held open by the grandchild (its stdout is the probe's pipe) until its sleep ends.
        XCTAssertLessThan(took, 20)

        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let grandchild = try XCTUnwrap(pid_t(text))
        // The orphaned sleep is reaped by init shortly after SIGKILL; 10 s is generous slack.
        let deadline = Date().addingTimeInterval(10)
        while kill(grandchild, 0) == 0, Date() < deadline { usleep(20_000) }
        XCTAssertNotEqual(kill(grandchild, 0), 0, "background child \(grandchild) survived the timeout")
    }

    func testKilledBySignalIsFailure() throws {
        let check = try CommandProbe(invocation: .shell("kill -TERM $$")).check()
        XCTAssertEqual(check.reason, "killed by signal 15")
    }
}
