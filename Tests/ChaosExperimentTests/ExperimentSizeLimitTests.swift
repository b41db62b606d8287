import ChaosConfig
import ChaosCore
import ChaosExperiment
import Foundation
import XCTest

/// Issue #11 item 12 for experiment files and the fault profiles they name.
final class ExperimentSizeLimitTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "experiment-size-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var context: ExperimentContext { ExperimentContext(controlPath: directory + "/control.json") }

    /// An endless input (a device, a pipe) is read to one byte past the limit, then refused.
    func testAnEndlessExperimentInputIsCutOffAtTheLimit() throws {
        XCTAssertThrowsError(try ExperimentParser.load(file: "/dev/zero", context: context)) { error in
            XCTAssertEqual(error as? InputFileTooLarge,
                           InputFileTooLarge(path: "/dev/zero", what: "experiment file", size: nil, limit: 1 << 20))
            XCTAssertEqual("\(error)", "/dev/zero: the experiment file gave more than 1048576 bytes; the limit is 1048576 bytes (1 MiB), refusing to read it")
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .usage)
        }
    }

    func testAProfileStepNamingAnOversizedProfileIsAProblemOfTheExperiment() throws {
        let profile = directory + "/huge.yaml"
        let size = ConfigNode.maximumFileBytes + 1
        let text = "flags:\n  slow-db: {percent: 50}\n"
        try Data((text + String(repeating: "#", count: size - text.utf8.count)).utf8)
            .write(to: URL(fileURLWithPath: profile))
        let experiment = directory + "/e.yaml"
        try Data("""
            steady_state:
              probes: [{tcp: "127.0.0.1:1"}]
            method:
              - profile: huge.yaml
            """.utf8).write(to: URL(fileURLWithPath: experiment))
        XCTAssertThrowsError(try ExperimentParser.load(file: experiment, context: context)) { error in
            XCTAssertTrue("\(error)".contains("\(profile): the fault profile is \(size) bytes; the limit is 1048576 bytes (1 MiB)"),
                          "\(error)")
        }
    }
}
