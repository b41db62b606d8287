import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl run --seed` with flag steps: every flag a step writes carries a `seed` derived
/// from the run's seed and the step's place in the file (unless the step sets one), so the
/// services reading the control file repeat their percent and jitter decisions. A command
/// step copies the control file while the flags are held (fault steps without a duration
/// are held until the method ends).
final class RunSeedFlagTests: XCTestCase {
    private var temp: TempDir!
    private var cli: Chaosctl!
    private var controlPath: String { temp.path + "/control.json" }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: controlPath, stateDir: temp.path + "/state")
    }

    override func tearDown() {
        temp = nil
    }

    /// The `seed` of each flag while the run held them, plus the run's output and reports.
    private func run(_ extra: [String]) throws -> (seeds: [String: UInt64], output: String, reports: String) {
        let id = UUID().uuidString
        let snapshot = temp.path + "/held-\(id).json"
        let experiment = temp.path + "/flags-\(id).yaml"
        try choiceExperiment(title: "seeded flags", steps: [
            "flag: {name: slow-db, percent: 50, jitter_ms: 20}",
            "flags: {drop-s3: {percent: 10}, fail-auth: {percent: 20, seed: 5}}",
            "command: \"cp '\(controlPath)' '\(snapshot)'\"",
        ]).write(toFile: experiment, atomically: true, encoding: .utf8)
        let reports = temp.path + "/reports-\(id)"
        let r = try cli.run(["run", "-f", experiment, "--report-dir", reports] + extra, timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let flags = try XCTUnwrap(try jsonObject(atPath: snapshot)["flags"] as? [String: [String: Any]])
        XCTAssertEqual(Set(flags.keys), ["slow-db", "drop-s3", "fail-auth"])
        let seeds = flags.compactMapValues { ($0["seed"] as? NSNumber)?.uint64Value }
        XCTAssertEqual(seeds.count, 3, "every flag written by the run has a seed: \(flags)")
        return (seeds, r.stdout, reports)
    }

    func testSameRunSeedWritesTheSameFlagSeeds() throws {
        let first = try run(["--seed", "9"]).seeds
        XCTAssertEqual(try run(["--seed", "9"]).seeds, first, "--seed 9 must write the same flag seeds")
        XCTAssertEqual(first["fail-auth"], 5, "a step's own seed is kept")
        XCTAssertNotEqual(first["slow-db"], first["drop-s3"], "each flag draws its own sequence")
        XCTAssertTrue(first.values.allSatisfy { $0 < 1 << 53 }, "seeds stay below 2^53: \(first)")
        let other = try run(["--seed", "10"]).seeds
        XCTAssertNotEqual(other["slow-db"], first["slow-db"])
        XCTAssertNotEqual(other["drop-s3"], first["drop-s3"])
        // The control file is back to what it was once the run ends.
        if FileManager.default.fileExists(atPath: controlPath) {
            XCTAssertTrue((try jsonObject(atPath: controlPath)["flags"] as? [String: Any])?.isEmpty ?? true)
        }
    }

    func testUnseededRunRecordsItsSeedAndReplayingItWritesTheSameFlagSeeds() throws {
        let unseeded = try run([])
        let journal = try jsonObject(atPath: unseeded.reports + "/journal.json")
        let seed = try XCTUnwrap((journal["seed"] as? NSNumber)?.uint64Value, "journal.json records the seed")
        XCTAssertTrue(unseeded.output.contains("--seed \(seed)"), unseeded.output)
        XCTAssertEqual(try run(["--seed", String(seed)]).seeds, unseeded.seeds, "replaying the recorded seed")
    }
}
