import ChaosControl
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #11 item 12: a control file over `FlagLimits.maxFileBytes` is refused, named with
/// its size and the limit, by readers (last good state kept) and writers (file untouched).
final class ControlFileSizeLimitTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        path = directory.file("control.json")
    }

    override func tearDown() {
        directory.remove()
    }

    /// A valid document padded with spaces to `size` bytes: only its size is wrong.
    private func writeValidDocument(generation: Int, flag: String, size: Int) {
        var text = #"{"version": 1, "generation": \#(generation), "flags": {"\#(flag)": {"enabled": true}}}"#
        text += String(repeating: " ", count: size - text.utf8.count)
        writeFile(path, text)
    }

    func testReaderKeepsLastGoodStateWhenTheFileGrowsPastTheLimit() throws {
        writeValidDocument(generation: 1, flag: "slow-db", size: 100)
        let reader = ControlFileReader(path: path, pollInterval: .seconds(60))
        defer { reader.stop() }
        let errors = Recorder<ControlFileError>()
        reader.onError = { errors.append($0) }
        XCTAssertTrue(reader.flag("slow-db").fires())

        let size = FlagLimits.maxFileBytes + 1
        writeValidDocument(generation: 2, flag: "drop-s3", size: size)
        reader.reloadNow()

        XCTAssertEqual(reader.currentGeneration, 1, "the last good state stays in force")
        XCTAssertTrue(reader.flag("slow-db").fires())
        XCTAssertFalse(reader.flag("drop-s3").fires())
        let error = try XCTUnwrap(reader.lastControlFileError)
        XCTAssertEqual(error.kind, .invalidValue)
        XCTAssertEqual(error.description,
                       "\(path!): the control file is \(size) bytes; the limit is 1048576 bytes (1 MiB)")
        XCTAssertNotNil(waitUntil(timeout: 5) { !errors.values.isEmpty }, "reported through onError")

        // Back under the limit: read and applied again.
        writeValidDocument(generation: 3, flag: "drop-s3", size: FlagLimits.maxFileBytes)
        reader.reloadNow()
        XCTAssertEqual(reader.currentGeneration, 3)
        XCTAssertTrue(reader.flag("drop-s3").fires())
        XCTAssertNil(reader.lastError)
    }

    /// A sparse 64 MiB file costs no disk; read whole it would be 64 MiB of NULs, refused as
    /// malformed JSON. The size check refuses it from `fstat` alone.
    func testHugeFileIsRefusedBySizeWithoutParsing() throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(ftruncate(fd, 64 << 20), 0)
        close(fd)
        let reader = ControlFileReader(path: path, pollInterval: .seconds(60))
        defer { reader.stop() }
        XCTAssertEqual(reader.currentGeneration, 0, "no good state before: no faults")
        XCTAssertEqual(reader.lastControlFileError?.kind, .invalidValue)
        XCTAssertEqual(reader.lastError, "\(path!): the control file is 67108864 bytes; the limit is 1048576 bytes (1 MiB)")
    }

    func testWriterRefusesToRewriteAnOversizedFileAndLeavesItAlone() throws {
        let size = FlagLimits.maxFileBytes + 10
        writeValidDocument(generation: 7, flag: "slow-db", size: size)
        let before = try XCTUnwrap(readBytes(path))
        let writer = ControlFileWriter(path: path, updatedBy: "test")
        XCTAssertThrowsError(try writer.update { $0.flags["drop-s3"] = Flag() }) { error in
            let failure = error as? ControlFileError
            XCTAssertEqual(failure?.kind, .invalidValue)
            XCTAssertTrue(failure?.description.contains("is \(size) bytes; the limit is 1048576 bytes") == true,
                          "\(error)")
        }
        XCTAssertEqual(readBytes(path), before)
        XCTAssertThrowsError(try writer.read())
    }

    func testWriterRefusesAChangeThatWouldMakeTheFileTooLarge() throws {
        let writer = ControlFileWriter(path: path, updatedBy: "test")
        try writer.update { $0.flags["slow-db"] = Flag() }
        let before = try XCTUnwrap(readBytes(path))
        let huge = String(repeating: "a", count: FlagLimits.maxFileBytes)
        XCTAssertThrowsError(try writer.update { $0.flags["drop-s3"] = Flag(params: ["blob": .string(huge)]) }) { error in
            XCTAssertTrue("\(error)".contains("the change would make the control file"), "\(error)")
            XCTAssertTrue("\(error)".contains("the limit is 1048576 bytes"), "\(error)")
        }
        XCTAssertEqual(readBytes(path), before, "nothing written")
    }

    func testAFileExactlyAtTheLimitIsRead() throws {
        writeValidDocument(generation: 4, flag: "slow-db", size: FlagLimits.maxFileBytes)
        let document = try ControlFileWriter(path: path).read()
        XCTAssertEqual(document.generation, 4)
    }
}
