import ChaosLoad
import ChaosTestSupport
import Foundation
import XCTest

/// Bad input from a real k6: a script that throws at start makes k6 exit non-zero having
/// written no request; the summary must say so and measure nothing.
final class K6BadRunTests: XCTestCase {
    func testAScriptErrorExitIsNotMeasured() throws {
        let k6 = try generatorPath("k6")
        let folder = try temporaryDirectory("k6bad")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "throw new Error('broken on purpose');\nexport default function () {}\n"
            .write(toFile: folder + "/broken.js", atomically: true, encoding: .utf8)
        let prepared = try XCTUnwrap(GeneratorCommand.prepare([k6, "run", "--quiet", folder + "/broken.js"], reportDirectory: folder))
        let loadStart = ClockReading.now()
        let exit = try GeneratorRun(argv: prepared.argv, directory: folder).wait(seconds: 30)
        let plan = LoadPhasePlan.standard(loadStart: loadStart, loadEnd: ClockReading.now(), faults: [])
        let summary = LoadResults.k6(resultsPath: prepared.resultsPath, summaryPath: prepared.summaryPath, plan: plan, exit: exit)
        print("k6 broken-script summary problems:", summary.problems.map(\.description))
        let code = try XCTUnwrap(exit.exitCode)
        XCTAssertNotEqual(code, 0)
        XCTAssertNotEqual(code, 99)
        XCTAssertTrue(summary.blockingProblems.contains { $0.message == "k6 exited with code \(code): its output may be incomplete" })
        XCTAssertTrue(summary.blockingProblems.contains { $0.message.contains("no request was measured") })
        XCTAssertEqual(summary.counts.requests, 0)
        XCTAssertNotNil(summary.phases["pre"]?.notMeasured)
        XCTAssertFalse(summary.fullyMeasured)
    }
}
