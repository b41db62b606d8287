import ChaosTestSupport
import Foundation
import XCTest

/// Help reads like a man page at any width: prose is written as whole paragraphs (the
/// terminal wraps them), and every example fits in 80 columns so it is never split and can
/// be copied as it is.
final class HelpTextTests: XCTestCase {
    var temp: TempDir!
    override func tearDown() { temp = nil }

    private func help(_ path: [String], columns: Int, cli: Chaosctl) throws -> String {
        var wide = cli
        wide.extraEnvironment["COLUMNS"] = String(columns)
        let r = try wide.run(path + ["--help"])
        XCTAssertEqual(r.status, 0, "\(path): \(r.stderr)")
        return r.stdout
    }

    /// Every command path, found from the SUBCOMMANDS sections.
    private func commands(under path: [String], cli: Chaosctl) throws -> [[String]] {
        let text = try help(path, columns: 4000, cli: cli)
        guard let start = text.range(of: "SUBCOMMANDS:\n") else { return [path] }
        let names = text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.isEmpty }
            // "  remove, delete   Remove a toxic." names a command and its alias.
            .compactMap { $0.hasPrefix("  ") && !$0.hasPrefix("   ") ? $0.split(separator: " ").first.map { String($0.filter { $0 != "," }) } : nil }
            .filter { $0 != "help" }
        guard path.count < 3 else { XCTFail("commands nest deeper than expected: \(path)"); return [path] }
        return try [path] + names.flatMap { try commands(under: path + [$0], cli: cli) }
    }

    func testProseIsNotHardWrappedAndExamplesFitEightyColumns() throws {
        temp = try TempDir()
        let cli = Chaosctl(stateDir: temp.path + "/state")
        let all = try commands(under: [], cli: cli)
        XCTAssertGreaterThan(all.count, 20, "\(all)")
        for path in all {
            let text = try help(path, columns: 4000, cli: cli)
            let intro = text.components(separatedBy: "\nUSAGE:").first ?? ""
            for line in intro.split(separator: "\n") where !line.hasPrefix(" ") && !line.hasPrefix("OVERVIEW:") {
                // A paragraph line that stops mid-sentence was broken by hand in the source.
                XCTAssertTrue(line.last.map { ".:)".contains($0) } ?? true, "\(path): hard-wrapped line: \(line)")
            }
            for line in intro.split(separator: "\n") where line.hasPrefix("  chaosctl ") {
                XCTAssertLessThanOrEqual(line.count, 80, "\(path): example wider than 80 columns: \(line)")
            }
        }
    }
}
