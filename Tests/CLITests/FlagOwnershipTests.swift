import ChaosTestSupport
import Foundation
import XCTest

/// A flag revert undoes only its own write (issue #11 item 5), and a failed apply leaves no
/// record behind (item 6). Every case runs the real chaosctl binary.
final class FlagOwnershipTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    // XCTest keeps test-case instances alive: drop the directory explicitly.
    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/run/control.json", stateDir: temp.path + "/state")
    }

    private func flags() throws -> [String: [String: Any]] {
        guard FileManager.default.fileExists(atPath: cli.controlPath) else { return [:] }
        return try XCTUnwrap(jsonObject(atPath: cli.controlPath)["flags"] as? [String: [String: Any]])
    }

    /// `status --json` flag lines as (record id, flag, state).
    private func statusLines() throws -> [(id: String, flag: String, state: String)] {
        let r = try cli.run(["status", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var lines: [(String, String, String)] = []
        for fault in (report["faults"] as? [[String: Any]]) ?? [] {
            let id = try XCTUnwrap(fault["id"] as? String)
            let entries = try XCTUnwrap(fault["flags"] as? [[String: Any]], "flag record \(id) has no per-flag lines")
            for entry in entries {
                lines.append((id, try XCTUnwrap(entry["name"] as? String), try XCTUnwrap(entry["state"] as? String)))
            }
        }
        return lines
    }

    // MARK: item 5

    func testRecoverOfAnExpiredRecordLeavesATeammatesNewerDefinition() throws {
        XCTAssertEqual(try cli.run(["flag", "enable", "x", "--for", "1s"]).status, 0)
        XCTAssertEqual(try cli.run(["flag", "enable", "x", "--percent", "30"]).status, 0)
        let lines = try statusLines()
        XCTAssertEqual(lines.map(\.state).sorted(), ["in_force", "superseded"], "\(lines)")
        Thread.sleep(forTimeInterval: 1.3)

        let recover = try cli.run(["recover"])
        XCTAssertEqual(recover.status, 0, recover.stderr)
        XCTAssertTrue(recover.stderr.contains("superseded"), recover.stderr)
        XCTAssertTrue(recover.stdout.hasPrefix("ended (changed since, left as it is) "), recover.stdout)
        XCTAssertFalse(recover.stdout.contains("reverted"), "nothing was put back: \(recover.stdout)")
        XCTAssertEqual(try flags()["x"]?["percent"] as? Double, 30, "the teammate's definition must stay")
        // status agrees with the file: one line for x, in force.
        let after = try statusLines()
        XCTAssertEqual(after.map(\.flag), ["x"])
        XCTAssertEqual(after.map(\.state), ["in_force"])
        // The journal says what was left alone.
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("revert-left-alone"))

        // The teammate's own revert puts back what was there before both writes: nothing.
        XCTAssertEqual(try cli.run(["recover", "--all"]).status, 0)
        XCTAssertNil(try flags()["x"])
        XCTAssertTrue(try statusLines().isEmpty)
    }

    func testExpiryOfAWaitingEnableLeavesANewerDefinition() throws {
        let holder = try cli.start(["flag", "enable", "x", "--for", "1500ms", "--wait"])
        try waitUntil("x written") { try flags()["x"] != nil }
        XCTAssertEqual(try cli.run(["flag", "enable", "x", "--percent", "30"]).status, 0)
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 0)
        XCTAssertEqual(try flags()["x"]?["percent"] as? Double, 30)
        XCTAssertEqual(try statusLines().map(\.state), ["in_force"])
    }

    /// Two identical definitions: only a per-write stamp tells them apart.
    func testSignalledHolderLeavesAnIdenticalDefinitionWrittenAfterIt() throws {
        let holder = try cli.start(["flag", "enable", "x", "--wait"])
        try waitUntil("x written") { try flags()["x"] != nil }
        XCTAssertEqual(try cli.run(["flag", "enable", "x"]).status, 0)
        kill(holder.processIdentifier, SIGTERM)
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 128 + SIGTERM)
        XCTAssertNotNil(try flags()["x"], "the holder's revert removed a definition it did not write")
        XCTAssertEqual(try statusLines().map(\.state), ["in_force"])
    }

    /// The older record ends first (recover, at its expiry) while superseded; the newer one
    /// ends later (its holder's expiry) and must then put back what was there before both
    /// — nothing — not the older record's definition.
    func testNewerRevertDoesNotResurrectAnEndedOlderDefinition() throws {
        XCTAssertEqual(try cli.run(["flag", "enable", "x", "--percent", "10", "--for", "1s"]).status, 0)
        let holder = try cli.start(["flag", "enable", "x", "--percent", "30", "--for", "3s", "--wait"])
        try waitUntil("x redefined") { try flags()["x"]?["percent"] as? Double == 30 }
        Thread.sleep(forTimeInterval: 1.2)
        XCTAssertEqual(try cli.run(["recover"]).status, 0)
        XCTAssertEqual(try flags()["x"]?["percent"] as? Double, 30)
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 0)
        XCTAssertNil(try flags()["x"], "the ended 10% definition came back")
        XCTAssertTrue(try statusLines().isEmpty)
    }

    // MARK: item 6

    func testApplyFailingAtMaximumGenerationLeavesNoGhost() throws {
        try FileManager.default.createDirectory(atPath: (cli.controlPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let full = Data(#"{"version": 1, "generation": 9007199254740991, "flags": {}}"#.utf8)
        try full.write(to: URL(fileURLWithPath: cli.controlPath))
        let enable = try cli.run(["flag", "enable", "y"])
        XCTAssertNotEqual(enable.status, 0)
        XCTAssertTrue(enable.stderr.contains("generation"), enable.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: cli.controlPath), full)
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
        for args in [["recover"], ["recover", "--all"], ["recover"]] {
            let r = try cli.run(args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
        }
    }

    /// A ghost journaled by an earlier chaosctl (state applying, no owner, no record of what
    /// it wrote) over a file it never changed: recover clears it without needing to write.
    func testLegacyApplyingGhostOverAnUnchangedFileIsCleared() throws {
        try FileManager.default.createDirectory(atPath: (cli.controlPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(#"{"version": 1, "generation": 9007199254740991, "flags": {}}"#.utf8)
            .write(to: URL(fileURLWithPath: cli.controlPath))
        let faults = cli.stateDir + "/faults"
        try FileManager.default.createDirectory(atPath: faults, withIntermediateDirectories: true)
        let ghost = """
        {"createdAt": "2026-12-01T10:00:00Z", "id": "ghost-1", "kind": "flag", "revertData":
         {"path": "\(cli.controlPath)", "previous": "{\\"flags\\":{\\"y\\":null}}"},
         "state": "applying", "summary": "y: 100%", "target": "flag y in \(cli.controlPath)"}
        """
        try Data(ghost.utf8).write(to: URL(fileURLWithPath: faults + "/ghost-1.json"))
        let r = try cli.run(["recover"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    func testUnwritableDirectoryReportsPermissionDeniedAndLeavesNoGhost() throws {
        let directory = temp.path + "/locked"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let unprivileged = try UnprivilegedChaosctl(controlPath: directory + "/control.json",
                                                    stateDir: temp.path + "/state2", lockedDirectory: directory)
        let enable = unprivileged.run(["flag", "enable", "y"])
        XCTAssertEqual(enable.status, 10, enable.output)
        XCTAssertTrue(enable.output.contains(directory), enable.output)
        XCTAssertTrue(enable.output.contains("Permission denied"), enable.output)
        XCTAssertFalse(enable.output.contains("No such file"), enable.output)
        XCTAssertTrue(unprivileged.run(["status"]).output.contains("No active faults"))
        for args in [["recover"], ["recover", "--all"]] {
            let r = unprivileged.run(args)
            XCTAssertEqual(r.status, 0, "\(args): \(r.output)")
        }

        let deeper = try UnprivilegedChaosctl(controlPath: directory + "/sub/control.json",
                                              stateDir: temp.path + "/state2", lockedDirectory: directory)
        let nested = deeper.run(["flag", "enable", "y"])
        XCTAssertEqual(nested.status, 10, nested.output)
        XCTAssertTrue(nested.output.contains(directory + "/sub: cannot create directory: Permission denied"), nested.output)
    }
}

/// chaosctl without the right to write `lockedDirectory`. As root (the usual test host)
/// the directory is handed to nobody with mode 0555 and chaosctl runs under setpriv with
/// CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH/CAP_FOWNER dropped from its bounding set; as
/// another user the directory is simply made 0555.
struct UnprivilegedChaosctl {
    let cli: Chaosctl
    let wrapper: [String]

    init(controlPath: String, stateDir: String, lockedDirectory: String) throws {
        cli = Chaosctl(controlPath: controlPath, stateDir: stateDir)
        chmod(lockedDirectory, 0o555)
        guard getuid() == 0 else { wrapper = []; return }
        let setpriv = "/usr/bin/setpriv"
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("setpriv (util-linux) is missing")
            }
            throw XCTSkip("setpriv (util-linux) is missing")
        }
        chown(lockedDirectory, 65534, 65534)
        wrapper = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]
    }

    /// Exit status and stdout+stderr together (ChaosTestSupport's runProcess).
    func run(_ args: [String]) -> (status: Int32, output: String) {
        runProcess(wrapper + [Chaosctl.binary] + args,
                   environment: ["CHAOS_CONTROL_PATH": cli.controlPath, "CHAOSCTL_STATE_DIR": cli.stateDir])
    }
}
