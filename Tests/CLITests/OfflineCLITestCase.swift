import ChaosTestSupport
import XCTest

/// chaosctl with its own state directory and control file, and TOXIPROXY_URL at a port
/// nothing listens on: a command that wrongly reached the API would exit 4, not 2.
class OfflineCLITestCase: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    // XCTest keeps test-case instances alive: drop the directory explicitly.
    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state",
                       extraEnvironment: ["TOXIPROXY_URL": "http://127.0.0.1:1"])
    }
}
