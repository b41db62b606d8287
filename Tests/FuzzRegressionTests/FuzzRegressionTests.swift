import ChaosTestSupport
import Foundation
import XCTest

/// Every file in fuzz/regressions/<target>/ is an input that once crashed a fuzz target
/// (scripts/fuzz.sh), byte for byte. Each is replayed through the same harness in a child
/// process (in the normal build every fuzz target is a replay tool), so a crash fails the
/// test that names the file instead of taking the whole test run down with it.
final class FuzzRegressionTests: XCTestCase {
    /// The repository, from this file's place in it (Tests/FuzzRegressionTests/...).
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The replay tools SwiftPM built beside the test bundle (as `Chaosctl.binary` finds chaosctl).
    private static func tool(_ target: String) -> String {
        (Chaosctl.binary as NSString).deletingLastPathComponent + "/fuzz-" + target
    }

    private func replayEveryRegression(of target: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let directory = Self.repository + "/fuzz/regressions/" + target
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertFalse(names.isEmpty, "no regression inputs in \(directory)", file: file, line: line)
        for name in names {
            let (status, output) = runProcess([Self.tool(target), directory + "/" + name],
                                              environment: ["SWIFT_BACKTRACE": "enable=no"])
            XCTAssertEqual(status, 0, "fuzz-\(target) crashed on fuzz/regressions/\(target)/\(name):\n\(output)",
                           file: file, line: line)
        }
    }

    /// HTTPRequestParser (Sources/ChaosHTTPServer): issue #11 item 2, a negative chunk size.
    func testHTTPRequestParserRegressions() throws { try replayEveryRegression(of: "http-request") }

    /// ControlDocument (Sources/ChaosControl): an unknown field holding a number too large for
    /// UInt64, which JSONSerialization reads as an NSDecimalNumber; a rewrite must not move it.
    func testControlDocumentRegressions() throws { try replayEveryRegression(of: "control-document") }

    /// KubeConfigDocument (Sources/ChaosTargets/Kubernetes): a non-scalar mapping key.
    func testKubeConfigRegressions() throws { try replayEveryRegression(of: "kubeconfig") }

    /// The load parsers (Sources/ChaosLoad/Ingest): k6 JSON lines, k6 summary, Locust history,
    /// mapped JSONL; each file's first byte picks the parser (Fuzz/LoadOutput).
    func testLoadOutputRegressions() throws { try replayEveryRegression(of: "load-output") }
}
