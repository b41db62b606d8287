import ChaosTestSupport
import Foundation
import XCTest

/// No silent no-ops: input that would change nothing, or something else than meant, is
/// refused with the fix; input that is valid but probably wrong gets a warning.
final class RefusalTests: OfflineCLITestCase {
    func testUnknownToxicAttributeOrTypeIsRefusedWithASuggestion() throws {
        let attribute = try cli.run(["toxic", "add", "-t", "latency", "-a", "latecy=100", "db"])
        XCTAssertEqual(attribute.status, 2, attribute.stderr)
        XCTAssertTrue(attribute.stderr.contains("did you mean 'latency'?"), attribute.stderr)
        XCTAssertTrue(attribute.stderr.contains("latency, jitter"), attribute.stderr)
        let type = try cli.run(["toxic", "add", "-t", "latncy", "db"])
        XCTAssertEqual(type.status, 2, type.stderr)
        XCTAssertTrue(type.stderr.contains("did you mean 'latency'?"), type.stderr)
        // Nothing was journaled for the refused adds.
        XCTAssertTrue(try cli.run(["status"]).stdout.contains("No active faults"))
    }

    func testDisablingAFlagThatIsNotSetSaysSoAndSuggestsTheCloseName() throws {
        XCTAssertEqual(try cli.run(["flag", "enable", "slow_sae", "--latency-ms", "100"]).status, 0)
        let before = try XCTUnwrap(FileManager.default.contents(atPath: cli.controlPath))
        let r = try cli.run(["flag", "disable", "slow-sae"])
        XCTAssertEqual(r.status, 7, r.stderr)
        XCTAssertTrue(r.stderr.contains("\"slow-sae\" is not set"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'slow_sae'?"), r.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: cli.controlPath), before, "a refused disable wrote the file")
        // With a real name among the missing one, nothing is removed either.
        XCTAssertEqual(try cli.run(["flag", "disable", "slow_sae", "slow-sae"]).status, 7)
        XCTAssertEqual(FileManager.default.contents(atPath: cli.controlPath), before)
        let tolerant = try cli.run(["flag", "disable", "--ignore-missing", "slow_sae", "slow-sae"])
        XCTAssertEqual(tolerant.status, 0, tolerant.stderr)
        XCTAssertTrue(tolerant.stdout.contains("disabled slow_sae"), tolerant.stdout)
    }

    func testZeroDurationsAreRefused() throws {
        let flag = try cli.run(["flag", "enable", "slow-db", "--for", "0s"])
        XCTAssertEqual(flag.status, 2, flag.stderr)
        XCTAssertTrue(flag.stderr.contains("for: 0s"), flag.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath))
        let toxic = try cli.run(["toxic", "add", "-t", "latency", "-a", "latency=10", "--for", "0s", "db"])
        XCTAssertEqual(toxic.status, 2, toxic.stderr)
        XCTAssertTrue(toxic.stderr.contains("--for"), toxic.stderr)
    }

    func testRecoverOfAnUnknownKindListsTheKinds() throws {
        let bogus = try cli.run(["recover", "--kind", "bogus"])
        XCTAssertEqual(bogus.status, 2, bogus.stderr)
        for kind in ["flag", "netem", "toxic", "proxy", "container-pause"] {
            XCTAssertTrue(bogus.stderr.contains(kind), "\(kind) not listed: \(bogus.stderr)")
        }
        let typo = try cli.run(["recover", "--kind", "flga", "--dry-run"])
        XCTAssertEqual(typo.status, 2, typo.stderr)
        XCTAssertTrue(typo.stderr.contains("did you mean 'flag'?"), typo.stderr)
        XCTAssertEqual(try cli.run(["recover", "--kind", "flag"]).status, 0)
    }

    func testProbeRefusesAZeroHealthyStreakAndAURLWithoutScheme() throws {
        let streak = try cli.run(["probe", "--tcp", "127.0.0.1:1", "--duration", "100ms", "--healthy-after", "0"])
        XCTAssertEqual(streak.status, 2, streak.stderr)
        XCTAssertTrue(streak.stderr.contains("--healthy-after"), streak.stderr)
        let bare = try cli.run(["probe", "127.0.0.1:1/health", "--duration", "100ms"])
        XCTAssertEqual(bare.status, 2, bare.stderr)
        XCTAssertTrue(bare.stderr.contains("http://127.0.0.1:1/health"), bare.stderr)
        XCTAssertFalse(bare.stdout.contains("samples"), "it probed: \(bare.stdout)")
    }

    func testValidateKnowsThePhaseNames() throws {
        let file = temp.path + "/phases.yaml"
        try """
        steady_state:
          probes:
            - command: "true"
        slo:
          - max_error_rate: 1%
            phases: [pre, durng]
        method:
          - wait: 1s
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try cli.run(["validate", "-f", file])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("'durng'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean 'during'?"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(file):6"), "no file:line in: \(r.stderr)")
    }

    func testJitterWithoutLatencyWarnsAndStillApplies() throws {
        let r = try cli.run(["flag", "enable", "slow-db", "--jitter-ms", "20"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning"), r.stderr)
        XCTAssertTrue(r.stderr.contains("without latency_ms"), r.stderr)
        let both = try cli.run(["flag", "enable", "slow-db", "--latency", "100ms", "--jitter", "20ms"])
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertFalse(both.stderr.contains("warning"), both.stderr)
        let flag = try XCTUnwrap((try jsonObject(atPath: cli.controlPath)["flags"] as? [String: [String: Any]])?["slow-db"])
        XCTAssertEqual(flag["latency_ms"] as? Int, 100)
        XCTAssertEqual(flag["jitter_ms"] as? Int, 20)
    }
}
