import ChaosTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #11 item 8: an experiment's `load:` command is stopped at the end of the run — the
/// whole process group, SIGTERM then SIGKILL — and the report says what really happened.
final class LoadStopTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
    }

    override func tearDown() { temp = nil }

    private func experiment(load: String) throws -> String {
        let path = temp.path + "/exp.yaml"
        try """
        title: load outlives the run
        steady_state:
          interval: 100ms
          before: 300ms
          after: 300ms
          probes:
            - name: always-fine
              command: "true"
        load:
          command: '\(load)'
        method:
          - wait: 1s
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `sleep 25` under a ~2 s run used to hold the run for 25 s while the report claimed
    /// "stopped by chaosctl": the SIGTERM went to a `setsid` wrapper, not the load's group.
    func testLoadIsStoppedWholeAtTheEndAndTheReportSaysHow() throws {
        let pidFile = temp.path + "/load.pid", masks = temp.path + "/masks"
        let file = try experiment(load: "echo $$ > \(pidFile); grep -E \"^Sig(Blk|Ign):\" /proc/self/status > \(masks); sleep 25 & sleep 25; wait")
        let reports = temp.path + "/reports"
        let start = Date()
        let r = try cli.run(["run", file, "--report-dir", reports], timeout: 60)
        let took = Date().timeIntervalSince(start)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertLessThan(took, 15, "the run waited for its load (\(took)s)")

        let group = try XCTUnwrap(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(liveProcesses(inGroup: group), [], "load processes outlived the run")

        let report = try String(contentsOfFile: reports + "/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("stopped by chaosctl at the end of the run"), report)
        XCTAssertTrue(report.contains("SIGTERM to its process group \(group), all gone"), report)
        XCTAssertFalse(report.contains("SIGKILL"), report)

        // The load's own children start with SIGINT/SIGTERM neither blocked nor ignored.
        let status = try String(contentsOfFile: masks, encoding: .utf8)
        for line in status.split(separator: "\n") {
            let bits = UInt64(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
            XCTAssertEqual(bits & (1 << UInt64(SIGINT - 1) | 1 << UInt64(SIGTERM - 1)), 0, status)
        }
    }

    /// A load that ignores SIGTERM is SIGKILLed after the grace, and the report says so.
    func testLoadIgnoringSigtermIsKilledAndTheReportSaysSo() throws {
        let pidFile = temp.path + "/load.pid"
        let file = try experiment(load: "trap \"\" TERM; echo $$ > \(pidFile); while :; do sleep 0.2; done")
        let reports = temp.path + "/reports"
        let start = Date()
        let r = try cli.run(["run", file, "--report-dir", reports], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        let group = try XCTUnwrap(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(liveProcesses(inGroup: group), [])
        let report = try String(contentsOfFile: reports + "/report.md", encoding: .utf8)
        XCTAssertTrue(report.contains("SIGTERM to its process group \(group) left"), report)
        XCTAssertTrue(report.contains("SIGKILL, all gone"), report)
    }

    /// Non-zombie processes whose process group is `group` (/proc/PID/stat fields 3 and 5).
    private func liveProcesses(inGroup group: Int32) -> [Int32] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
        return pids.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 3 && fields[0] != "Z" && Int32(fields[2]) == group
        }
    }
}
