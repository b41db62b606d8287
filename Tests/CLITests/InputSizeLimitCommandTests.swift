import ChaosTestSupport
import Foundation
import XCTest

/// Issue #11 item 12: every input file chaosctl reads whole has a documented size limit; a
/// larger one is refused with exit 2 and a message naming the file, its size and the limit,
/// before any of it is parsed.
final class InputSizeLimitCommandTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    override func tearDown() { temp = nil }

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
    }

    /// `text` padded with a YAML comment to exactly `size` bytes, so only the size is wrong.
    private func writePadded(_ text: String, to path: String, size: Int) throws {
        let padding = size - text.utf8.count - 2
        try Data((text + "#" + String(repeating: "x", count: padding) + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    func testFlagListRefusesAnOversizedControlFile() throws {
        let size = (1 << 20) + 1
        var text = #"{"version": 1, "generation": 3, "flags": {"slow-db": {"enabled": true}}}"#
        text += String(repeating: " ", count: size - text.utf8.count)
        try Data(text.utf8).write(to: URL(fileURLWithPath: cli.controlPath))
        let list = try cli.run(["flag", "list"])
        XCTAssertEqual(list.status, 2, list.stdout + list.stderr)
        XCTAssertTrue(list.stderr.contains("\(cli.controlPath): the control file is \(size) bytes; the limit is 1048576 bytes (1 MiB)"),
                      list.stderr)
        let enable = try cli.run(["flag", "enable", "drop-s3"])
        XCTAssertEqual(enable.status, 2, enable.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cli.controlPath)).count, size, "left as it was")
    }

    func testRunRefusesAnOversizedExperimentBeforeParsingIt() throws {
        let file = temp.path + "/big.yaml"
        let size = (1 << 20) + 1
        try writePadded("""
            title: big
            steady_state:
              probes:
                - tcp: 127.0.0.1:1
            method:
              - wait: 1s

            """, to: file, size: size)
        let run = try cli.run(["run", "--dry-run", file])
        XCTAssertEqual(run.status, 2, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("\(file): the experiment file is \(size) bytes; the limit is 1048576 bytes (1 MiB)"),
                      run.stderr)
    }

    func testProfileApplyRefusesAnOversizedProfile() throws {
        let file = temp.path + "/big.yaml"
        let size = (1 << 20) + 100
        try writePadded("flags:\n  slow-db: {percent: 50}\n", to: file, size: size)
        let apply = try cli.run(["profile", "apply", file])
        XCTAssertEqual(apply.status, 2, apply.stdout + apply.stderr)
        XCTAssertTrue(apply.stderr.contains("\(file): the fault profile is \(size) bytes; the limit is 1048576 bytes (1 MiB)"),
                      apply.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.controlPath), "nothing applied")
    }

    func testPodListRefusesAnOversizedKubeconfig() throws {
        let file = temp.path + "/kubeconfig"
        let size = (4 << 20) + 1
        // Port 1 on loopback: were the file read, the command would fail to connect instead.
        try writePadded("""
            current-context: c
            clusters: [{name: k, cluster: {server: "https://127.0.0.1:1"}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]

            """, to: file, size: size)
        let list = try cli.run(["pod", "list", "--kubeconfig", file, "--selector", "app=x"])
        XCTAssertEqual(list.status, 2, list.stdout + list.stderr)
        XCTAssertTrue(list.stderr.contains("\(file): the kubeconfig is \(size) bytes; the limit is 4194304 bytes (4 MiB)"),
                      list.stderr)
    }
}
