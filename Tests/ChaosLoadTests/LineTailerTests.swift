@testable import ChaosLoad
import Foundation
import XCTest

final class LineTailerTests: XCTestCase {
    func testAPartialLineIsHeldUntilItsNewlineArrives() throws {
        let folder = try temporaryDirectory("tail")
        let path = folder + "/grow.jsonl"
        let tailer = LineTailer(path: path, chunkSize: 16)
        var seen: [(String, Int)] = []
        let collect = { (line: UnsafeRawBufferPointer, number: Int) in seen.append((String(decoding: line, as: UTF8.self), number)) }
        XCTAssertEqual(try tailer.poll(collect), 0, "no file yet")
        XCTAssertFalse(tailer.fileSeen)
        try append("first line\nsecond, still be", to: path)
        try tailer.poll(collect)
        XCTAssertEqual(seen.map(\.0), ["first line"])
        try append("ing written; longer than the chunk\nthird", to: path)
        try tailer.poll(collect)
        XCTAssertEqual(seen.map(\.0), ["first line", "second, still being written; longer than the chunk"])
        XCTAssertEqual(seen.map(\.1), [1, 2])
        let rest = try XCTUnwrap(tailer.finish())
        XCTAssertEqual(String(decoding: rest.bytes, as: UTF8.self), "third")
        XCTAssertEqual(rest.line, 3)
    }

    func testAFileCutShorterWhileTailedIsReported() throws {
        let folder = try temporaryDirectory("shrink")
        let path = folder + "/out.json"
        try append("one\ntwo\n", to: path)
        let tailer = LineTailer(path: path)
        try tailer.poll { _, _ in }
        XCTAssertEqual(truncate(path, 2), 0)
        XCTAssertThrowsError(try tailer.poll { _, _ in }) { error in
            XCTAssertEqual(error as? LineTailer.Failure, .truncated(path: path, size: 2, read: 8))
        }
    }
}
