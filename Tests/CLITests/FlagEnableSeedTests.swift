import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl flag enable --seed N` writes the flag's own decision seed; a seed a JSON reader
/// could not keep exact (≥ 2^53) is refused, naming the flag, field and value.
final class FlagEnableSeedTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
    }

    func testEnableWritesTheSeed() throws {
        let r = try cli.run(["flag", "enable", "slow-db", "--percent", "50", "--seed", "9007199254740991"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let flags = try XCTUnwrap(jsonObject(atPath: cli.controlPath)["flags"] as? [String: [String: Any]])
        XCTAssertEqual((flags["slow-db"]?["seed"] as? NSNumber)?.uint64Value, 9_007_199_254_740_991)
    }

    func testSeedOf2To53IsRefusedWithNothingWritten() throws {
        let r = try cli.run(["flag", "enable", "slow-db", "--seed", "9007199254740992"])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        for part in ["slow-db", "seed", "9007199254740992"] { XCTAssertTrue(r.stderr.contains(part), r.stderr) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath), "nothing half-applied")
    }
}
