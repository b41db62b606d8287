import Foundation
import XCTest

/// Issue #12 item 3: every `@unchecked Sendable` in Sources/ says why it is safe, on the line
/// right above the declaration: `// @unchecked Sendable: <reason>.`
final class UncheckedSendableReasonTests: XCTestCase {
    func testEveryUncheckedSendableInSourcesCarriesAReason() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: root.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        XCTAssertFalse(files.isEmpty, "no sources under \(root.path)")
        var unexplained: [String] = []
        var declarations = 0
        for file in files {
            let lines = try String(contentsOfFile: root.appendingPathComponent(file).path, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.contains("@unchecked Sendable")
                && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                declarations += 1
                let above = index > 0 ? lines[index - 1].trimmingCharacters(in: .whitespaces) : ""
                let reason = above.hasPrefix("// @unchecked Sendable:")
                    ? above.dropFirst("// @unchecked Sendable:".count).trimmingCharacters(in: .whitespaces) : ""
                if reason.isEmpty { unexplained.append("\(file):\(index + 1)") }
            }
        }
        XCTAssertGreaterThan(declarations, 0, "the scan found no declarations at all")
        XCTAssertEqual(unexplained, [], "@unchecked Sendable without a '// @unchecked Sendable: <reason>' line above")
    }
}
