import ChaosTestSupport
import Foundation
import XCTest

/// A missing fixture skips a test locally and fails it under CI=true: checked on the helper's
/// value and end to end, by running this test bundle again on `FixtureGateSubject`.
final class FixtureRequirementTests: XCTestCase {
    func testMissingFixtureIsASkipLocallyAndAFailureUnderCI() {
        XCTAssertTrue(fixtureUnavailable("no python3", environment: [:]) is XCTSkip)
        XCTAssertTrue(fixtureUnavailable("no python3", environment: ["CI": "false"]) is XCTSkip)
        for ci in ["true", "TRUE", "1"] {
            let error = fixtureUnavailable("no python3", environment: ["CI": ci])
            XCTAssertFalse(error is XCTSkip, "CI=\(ci)")
            XCTAssertTrue(String(describing: error).contains("no python3"), "\(error)")
        }
    }

    func testUnderCIATestWhoseFixtureIsMissingFails() throws {
        let run = runSubject(ci: "true")
        XCTAssertNotEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("fixture unavailable under CI: the subject's fixture is missing"), run.output)
        XCTAssertTrue(run.output.contains("Executed 1 test, with 1 failure"), run.output)
    }

    func testLocallyATestWhoseFixtureIsMissingIsSkipped() throws {
        let run = runSubject(ci: nil)
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("Executed 1 test, with 1 test skipped and 0 failures"), run.output)
    }

    /// This bundle (/proc/self/exe is the .xctest executable on Linux), running only the subject.
    private func runSubject(ci: String?) -> (status: Int32, output: String) {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var environment = ProcessInfo.processInfo.environment
        environment["CI"] = ci
        environment[FixtureGateSubject.switchVariable] = "1"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: bundle)
        process.arguments = ["ChaosTestSupportTests.FixtureGateSubject/testFixtureGate"]
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// In the normal run its fixture is present and the test passes through `requireFixture`;
/// run by `FixtureRequirementTests` with the switch set, its fixture is missing.
final class FixtureGateSubject: XCTestCase {
    static let switchVariable = "CHAOS_FIXTURE_GATE_SUBJECT"

    func testFixtureGate() throws {
        let missing = ProcessInfo.processInfo.environment[Self.switchVariable] == "1"
        var passedTheGate = false
        try requireFixture(!missing, "the subject's fixture is missing")
        passedTheGate = true
        XCTAssertTrue(passedTheGate)
    }
}
