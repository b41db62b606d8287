import ChaosCore
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// ChaosCore's AtomicFile is a thin shell over ChaosControl's FileReplacement: the errors it
/// throws name the path and carry chaosctl's exit codes.
final class AtomicFileTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "atomic-file-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testWriteKeepsTheModeAndReplacesTheContents() throws {
        let path = directory + "/record.json"
        try AtomicFile.write(Data("one".utf8), to: path, mode: 0o600)
        try AtomicFile.write(Data("two".utf8), to: path, mode: 0o600)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "two")
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }

    func testWriteIntoAMissingDirectoryNamesItAndTheErrno() {
        XCTAssertThrowsError(try AtomicFile.write(Data("x".utf8), to: directory + "/gone/record.json")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(directory + "/gone/.record.json.tmp."), message)
            XCTAssertTrue(message.contains("cannot create temp file"), message)
            XCTAssertTrue(message.hasSuffix("No such file or directory"), message)
        }
    }

    func testEnsureDirectoryNamesTheFileInTheWay() throws {
        let blocker = directory + "/blocker"
        try Data("file".utf8).write(to: URL(fileURLWithPath: blocker))
        XCTAssertThrowsError(try AtomicFile.ensureDirectory(blocker)) { error in
            XCTAssertEqual("\(error)", "cannot create directory \(blocker): a file is in the way")
            XCTAssertEqual((error as? ChaosError)?.exitCode, .failure)
        }
        // Deeper down, the message names the file itself, not the directory below it.
        for below in ["/sub", "/sub/deeper"] {
            XCTAssertThrowsError(try AtomicFile.ensureDirectory(blocker + below)) { error in
                XCTAssertEqual("\(error)", "cannot create directory \(blocker): a file is in the way")
            }
        }
    }
}
