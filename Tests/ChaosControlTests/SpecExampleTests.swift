import ChaosControl
import Foundation
import XCTest

/// Keeps docs/control-file.md and the schema honest: their examples must be what this
/// library reads and writes.
final class SpecExampleTests: XCTestCase {
    private let docs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs")

    private func jsonBlocks() throws -> [String] {
        let markdown = try String(contentsOf: docs.appendingPathComponent("control-file.md"), encoding: .utf8)
        return markdown.components(separatedBy: "```json\n").dropFirst().map { block in
            String(block.components(separatedBy: "```").first ?? "")
        }
    }

    func testMarkdownExampleIsExactlyWhatTheEncoderWrites() throws {
        let example = try XCTUnwrap(jsonBlocks().first)
        let document = try ControlDocument.decode(Data(example.utf8), path: "docs example")
        XCTAssertEqual(document.flags.count, 4)
        XCTAssertEqual(String(decoding: try document.encoded(), as: UTF8.self), example)
    }

    func testEveryMarkdownAndSchemaExampleDecodes() throws {
        let blocks = try jsonBlocks()
        XCTAssertGreaterThanOrEqual(blocks.count, 2)
        for block in blocks {
            XCTAssertNoThrow(try ControlDocument.decode(Data(block.utf8)), block)
        }
        let schemaData = try Data(contentsOf: docs.appendingPathComponent("control-file.schema.json"))
        let schema = try XCTUnwrap(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
        let examples = try XCTUnwrap(schema["examples"] as? [Any])
        for example in examples {
            let data = try JSONSerialization.data(withJSONObject: example)
            XCTAssertNoThrow(try ControlDocument.decode(data))
        }
    }
}
