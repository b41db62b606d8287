import ChaosCore
import ChaosTargets
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #12 item 2: the exec credential plugin runs through ChaosCore's ProcessRunner, so a
/// plugin that hangs is killed at the timeout with its whole process group, including what it
/// started in the background (a hung plugin's helper must not outlive the request).
final class ExecPluginTimeoutTests: XCTestCase {
    func testTimeoutKillsThePluginAndEverythingItStarted() throws {
        let dir = NSTemporaryDirectory() + "exec-plugin-timeout-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plugin = dir + "/plugin.sh", pids = dir + "/pids"
        // The shell leads the group; it leaves a sleeper behind and then hangs itself.
        try """
        #!/bin/sh
        sleep 300 &
        echo "$$ $!" > \(pids)
        sleep 300
        """.write(toFile: plugin, atomically: true, encoding: .utf8)
        chmod(plugin, 0o755)

        let runner = KubeExecCredentialRunner()
        runner.timeout = 1
        XCTAssertThrowsError(try runner.credential(for: KubeExecConfig(command: plugin, user: "u", sourceFile: "cfg"))) { error in
            XCTAssertTrue("\(error)".contains("did not finish within"), "\(error)")
            XCTAssertEqual((error as? ChaosError)?.exitCode, .unauthorized)
        }

        let recorded = try String(contentsOfFile: pids, encoding: .utf8).split(separator: " ")
            .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(recorded.count, 2, "plugin wrote \(recorded)")
        let group = ProcessGroup(leader: recorded[0])
        // SIGKILL is delivered at once, but the orphaned sleeper is reaped by init: allow it a moment.
        let deadline = Date().addingTimeInterval(10)
        while !group.liveMembers().isEmpty && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(group.liveMembers(), [], "the plugin's group \(recorded[0]) still runs")
    }
}
