import ChaosHTTP
import Foundation
import XCTest

final class LineSplitterTests: XCTestCase {
    func testLinesAcrossChunksAndCRLF() {
        var s = LineSplitter()
        XCTAssertEqual(s.feed(Data("{\"a\"".utf8)), [])
        XCTAssertEqual(s.feed(Data(":1}\r\n{\"b\":2}\n{\"c".utf8)).map { String(decoding: $0, as: UTF8.self) },
                       ["{\"a\":1}", "{\"b\":2}"])
        XCTAssertEqual(s.finish().map { String(decoding: $0, as: UTF8.self) }, "{\"c")
        XCTAssertNil(s.finish())
    }
}
