import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl run --seed` with `toxic:` steps against a real server: every toxic a step adds
/// carries a `seed` attribute derived from the run's seed and the step's place in the file
/// (unless the step sets one), so the server applies it to the same connections run after
/// run. A command step lists the toxics while they are held (fault steps without a duration
/// are held until the method ends).
final class RunSeedToxicTests: IntegrationTestCase {
    private var temp: TempDir!
    private var cli: Chaosctl!

    override func setUpWithError() throws {
        try super.setUpWithError()
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
        _ = try stack.createProxy("db")
    }

    override func tearDown() {
        temp = nil
        super.tearDown()
    }

    /// The `seed` attribute of each toxic while the run held them, plus output and reports.
    private func run(_ extra: [String]) throws -> (seeds: [String: UInt64], output: String, reports: String) {
        let id = UUID().uuidString
        let snapshot = temp.path + "/toxics-\(id).json"
        let experiment = temp.path + "/toxics-\(id).yaml"
        try choiceExperiment(steps: [
            "toxic: {api: \"\(stack.api)\", proxy: db, name: slow, type: latency, toxicity: 0.5, attributes: {latency: 10}}",
            "toxic: {api: \"\(stack.api)\", proxy: db, name: cut, type: limit_data, toxicity: 0.3, attributes: {bytes: 100}}",
            "toxic: {api: \"\(stack.api)\", proxy: db, name: own, type: latency, attributes: {latency: 1, seed: 5}}",
            "command: \"curl -sf -o '\(snapshot)' \(stack.api)/proxies/db/toxics\"",
        ]).write(toFile: experiment, atomically: true, encoding: .utf8)
        let reports = temp.path + "/reports-\(id)"
        let r = try cli.run(["run", experiment, "--report-dir", reports] + extra, timeout: 60)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let data = try XCTUnwrap(FileManager.default.contents(atPath: snapshot), "no toxic list: \(r.stdout)")
        let toxics = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        var seeds: [String: UInt64] = [:]
        for toxic in toxics {
            let name = try XCTUnwrap(toxic["name"] as? String)
            seeds[name] = ((toxic["attributes"] as? [String: Any])?["seed"] as? NSNumber)?.uint64Value
        }
        XCTAssertEqual(Set(seeds.keys), ["slow", "cut", "own"], "every toxic has a seed: \(toxics)")
        XCTAssertEqual(try stack.client.proxy("db").toxics.count, 0, "the toxics are removed after the run")
        return (seeds, r.stdout, reports)
    }

    private func choiceExperiment(steps: [String]) -> String {
        var yaml = """
        title: seeded toxics
        steady_state:
          interval: 100ms
          before: 200ms
          after: 300ms
          healthy_after: 1
          probes:
            - name: fine
              command: "true"
        method:

        """
        for (index, step) in steps.enumerated() { yaml += "  - name: step \(index + 1)\n    \(step)\n" }
        return yaml
    }

    func testSameRunSeedSendsTheSameToxicSeeds() throws {
        let first = try run(["--seed", "9"]).seeds
        XCTAssertEqual(try run(["--seed", "9"]).seeds, first, "--seed 9 must send the same toxic seeds")
        XCTAssertEqual(first["own"], 5, "a step's own seed is kept")
        XCTAssertNotEqual(first["slow"], first["cut"], "each step draws its own sequence")
        XCTAssertTrue(first.values.allSatisfy { $0 < 1 << 53 }, "\(first)")
        let other = try run(["--seed", "10"]).seeds
        XCTAssertNotEqual(other["slow"], first["slow"])
    }

    func testUnseededRunRecordsItsSeedAndReplayingItSendsTheSameToxicSeeds() throws {
        let unseeded = try run([])
        let journal = try jsonObject(atPath: unseeded.reports + "/journal.json")
        let seed = try XCTUnwrap((journal["seed"] as? NSNumber)?.uint64Value, "journal.json records the seed")
        XCTAssertEqual(try run(["--seed", String(seed)]).seeds, unseeded.seeds, "replaying the recorded seed")
    }
}
