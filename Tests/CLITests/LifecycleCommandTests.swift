import ChaosTestSupport
import Foundation
import XCTest

final class LifecycleCommandTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    // XCTest keeps test-case instances alive: drop the directory explicitly.
    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
    }

    private func flagNames() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: cli.controlPath) else { return [] }
        return Set(((try jsonObject(atPath: cli.controlPath)["flags"] as? [String: Any]) ?? [:]).keys)
    }

    func testSigtermRevertsAHeldFlag() throws {
        let p = try cli.start(["flag", "enable", "held", "--wait"])
        try waitUntil("flag written") { try flagNames().contains("held") }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 128 + SIGTERM)
        XCTAssertFalse(try flagNames().contains("held"))
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    func testSigkillLeavesAnOrphanThatRecoverReverts() throws {
        XCTAssertEqual(try cli.run(["flag", "enable", "detached"]).status, 0)
        let p = try cli.start(["profile", "apply", "fault-profiles/hard-backpressure.yaml", "--wait"])
        try waitUntil("profile written") { try flagNames().isSuperset(of: ["rate-limit-spike", "fail-auth"]) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        // Still applied: SIGKILL gives no chance to clean up.
        XCTAssertTrue(try flagNames().isSuperset(of: ["rate-limit-spike", "fail-auth"]))
        let status = try cli.run(["status"])
        XCTAssertTrue(status.stdout.contains("gone"), status.stdout)

        let recover = try cli.run(["recover"])
        XCTAssertEqual(recover.status, 0, recover.stderr)
        XCTAssertEqual(try flagNames(), ["detached"], "recover must revert the orphan only")
        XCTAssertTrue(try cli.run(["recover", "--dry-run", "--all"]).stdout.contains("detached"))
    }

    func testExpiryRevertsAHeldProfile() throws {
        let r = try cli.run(["profile", "apply", "slow-dependencies", "--dir", "fault-profiles", "--for", "400ms", "--wait"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("expired: reverted"), r.stdout)
        XCTAssertEqual(try flagNames(), [])
    }

    func testInvalidProfileReportsEveryProblemWithLineAndChangesNothing() throws {
        let file = temp.path + "/broken.yaml"
        try """
        description: broken on purpose
        flags:
          slow-db:
            percent: 150
            latncy_ms: 10
          drop-s3:
            mode: explode
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try cli.run(["profile", "apply", file])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("\(file):4: flags.slow-db.percent: '150'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("flags.slow-db.latncy_ms"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'latency_ms'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(file):7: flags.drop-s3.mode: 'explode'"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath))
    }

    func testShippedProfilesAreValid() throws {
        let list = try cli.run(["profile", "list"])
        XCTAssertEqual(list.status, 0)
        XCTAssertFalse(list.stdout.contains("INVALID"), list.stdout)
        for name in ["slow-dependencies", "flaky-storage", "hard-backpressure", "mixed-soak"] {
            XCTAssertTrue(list.stdout.contains(name), list.stdout)
        }
    }
}
