import ChaosTestSupport
import Foundation
import XCTest

final class FlagCommandTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    // XCTest keeps test-case instances alive: drop the directory explicitly.
    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/run/control.json", stateDir: temp.path + "/state")
    }

    private func flags() throws -> [String: [String: Any]] {
        try XCTUnwrap(jsonObject(atPath: cli.controlPath)["flags"] as? [String: [String: Any]])
    }

    func testEnableWritesEveryFieldAndListShowsIt() throws {
        let r = try cli.run(["flag", "enable", "slow-db", "--percent", "50", "--latency-ms", "150", "--jitter-ms", "150",
                             "--param", "region=eu", "--param", "retries=3", "--max-hits", "7"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let slow = try XCTUnwrap(try flags()["slow-db"])
        XCTAssertEqual(slow["enabled"] as? Bool, true)
        XCTAssertEqual(slow["percent"] as? Double, 50)
        XCTAssertEqual(slow["latency_ms"] as? Int, 150)
        XCTAssertEqual(slow["jitter_ms"] as? Int, 150)
        XCTAssertEqual(slow["max_hits"] as? Int, 7)
        let params = try XCTUnwrap(slow["params"] as? [String: Any])
        XCTAssertEqual(params["region"] as? String, "eu")
        XCTAssertEqual(params["retries"] as? Int, 3)

        XCTAssertEqual(try cli.run(["flag", "enable", "fail-auth", "--mode", "fallback"]).status, 0)
        XCTAssertEqual(try cli.run(["flag", "enable", "rate-limit-spike", "--severity", "hard"]).status, 0)
        let list = try cli.run(["flag", "list"])
        XCTAssertEqual(list.status, 0)
        for expected in ["slow-db", "150ms±150ms", "fail-auth", "fallback", "rate-limit-spike", "hard"] {
            XCTAssertTrue(list.stdout.contains(expected), "\(expected) missing in:\n\(list.stdout)")
        }
        let json = try cli.run(["flag", "list", "--json"])
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((parsed["flags"] as? [String: Any])?.count, 3)
        XCTAssertEqual(parsed["version"] as? Int, 1)
    }

    func testFiftyConcurrentWritersAllLand() throws {
        let processes = try (0..<50).map { i in
            try cli.start(["flag", "enable", "flag-\(i)", "--percent", String(i % 101)])
        }
        for p in processes { p.waitUntilExit(); XCTAssertEqual(p.terminationStatus, 0) }
        let written = try flags()
        XCTAssertEqual(Set(written.keys), Set((0..<50).map { "flag-\($0)" }))
        XCTAssertEqual(try jsonObject(atPath: cli.controlPath)["generation"] as? Int, 50)
        // Every write was journaled, so recover --all can undo all of them.
        XCTAssertEqual(try cli.run(["recover", "--all"]).status, 0)
        XCTAssertTrue(try flags().isEmpty)
    }

    func testBadInputNamesFlagFieldValueAndLeavesFileUntouched() throws {
        XCTAssertEqual(try cli.run(["flag", "enable", "keep", "--percent", "10"]).status, 0)
        let before = try XCTUnwrap(FileManager.default.contents(atPath: cli.controlPath))
        let cases: [([String], [String])] = [
            (["flag", "enable", "slow-db", "--percent", "150"], ["slow-db", "percent", "150"]),
            (["flag", "enable", "slow-db", "--mode", "explode"], ["slow-db", "mode", "explode"]),
            (["flag", "enable", "slow-db", "--severity", "medium"], ["slow-db", "severity", "medium"]),
            (["flag", "enable", "slow-db", "--for", "10parsecs"], ["slow-db", "--for", "10parsecs"]),
            (["flag", "enable", "Bad Name!"], ["Bad Name!"]),
            (["flag", "enable", "slow-db", "--param", "novalue"], ["slow-db", "novalue"]),
        ]
        for (args, needles) in cases {
            let r = try cli.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            for n in needles { XCTAssertTrue(r.stderr.contains(n), "\(args): '\(n)' not in: \(r.stderr)") }
            XCTAssertEqual(FileManager.default.contents(atPath: cli.controlPath), before, "\(args) changed the file")
        }
        // Nothing was journaled for the refused changes.
        let status = try cli.run(["status", "--json"])
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["faults"] as? [Any])?.count, 1)
    }

    func testCorruptFileIsRefusedAndKeptByteForByte() throws {
        try FileManager.default.createDirectory(atPath: (cli.controlPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let corrupt = Data("{\"version\": 1, \"generation\": 3, \"flags\": {\"x\": {\"enabled\": tru".utf8)
        try corrupt.write(to: URL(fileURLWithPath: cli.controlPath))
        for args in [["flag", "enable", "slow-db"], ["flag", "disable", "x"], ["profile", "apply", "fault-profiles/mixed-soak.yaml"]] {
            let r = try cli.run(args)
            XCTAssertNotEqual(r.status, 0, "\(args)")
            XCTAssertTrue(r.stderr.contains(cli.controlPath), r.stderr)
            XCTAssertEqual(FileManager.default.contents(atPath: cli.controlPath), corrupt)
        }
    }

    func testUnwritableDirectoryIsAClearError() throws {
        let blocker = temp.path + "/blocker"
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: blocker))
        let cli2 = Chaosctl(controlPath: blocker + "/control.json", stateDir: temp.path + "/state2")
        let r = try cli2.run(["flag", "enable", "slow-db"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains(blocker), r.stderr)
    }

    func testDisableOneAndAll() throws {
        for name in ["a", "b", "c"] { XCTAssertEqual(try cli.run(["flag", "enable", name]).status, 0) }
        XCTAssertEqual(try cli.run(["flag", "disable", "b"]).status, 0)
        XCTAssertEqual(Set(try flags().keys), ["a", "c"])
        XCTAssertEqual(try cli.run(["flag", "disable", "--all"]).status, 0)
        XCTAssertTrue(try flags().isEmpty)
        // The journal forgot them: recover has nothing to do.
        XCTAssertTrue(try cli.run(["recover", "--all"]).stdout.contains("Nothing to recover"))
    }

    func testForSetsExpiryAndRecoverRemovesExpiredFlag() throws {
        XCTAssertEqual(try cli.run(["flag", "enable", "brief", "--for", "300ms"]).status, 0)
        let expires = try XCTUnwrap(try flags()["brief"]?["expires_at"] as? String)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let at = try XCTUnwrap(formatter.date(from: expires))
        XCTAssertEqual(at.timeIntervalSinceNow, 0.3, accuracy: 2.0)
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertTrue(try cli.run(["flag", "list"]).stdout.contains("expired"))
        // Without --all, recover takes only what is expired or orphaned.
        let r = try cli.run(["recover"])
        XCTAssertTrue(r.stdout.contains("reverted"), r.stdout)
        XCTAssertNil(try flags()["brief"])
    }

    func testRevertRestoresThePreviousDefinitionAndKeepsUnknownFields() throws {
        try FileManager.default.createDirectory(atPath: (cli.controlPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let original = """
        {"version": 1, "generation": 5, "team": "payments",
         "flags": {"slow-db": {"enabled": false, "percent": 5, "owner": "db-team"}}}
        """
        try Data(original.utf8).write(to: URL(fileURLWithPath: cli.controlPath))
        XCTAssertEqual(try cli.run(["flag", "enable", "slow-db", "--percent", "90", "--latency-ms", "200"]).status, 0)
        XCTAssertEqual(try flags()["slow-db"]?["percent"] as? Double, 90)
        XCTAssertEqual(try cli.run(["recover", "--all"]).status, 0)
        let restored = try XCTUnwrap(try flags()["slow-db"])
        XCTAssertEqual(restored["enabled"] as? Bool, false)
        XCTAssertEqual(restored["percent"] as? Double, 5)
        XCTAssertEqual(restored["owner"] as? String, "db-team")
        XCTAssertEqual(try jsonObject(atPath: cli.controlPath)["team"] as? String, "payments")
    }
}
