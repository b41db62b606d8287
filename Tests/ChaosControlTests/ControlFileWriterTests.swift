import ChaosControl
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class ControlFileWriterTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
    }

    override func tearDown() {
        directory.remove()
    }

    func testCreatesDirectoryAndFileAndBumpsGeneration() throws {
        let path = directory.file("nested/deeper/control.json")
        let writer = ControlFileWriter(path: path, updatedBy: "test")
        let first = try writer.update { $0.flags["slow-db"] = Flag(percent: 50, latencyMilliseconds: 100) }
        XCTAssertEqual(first.generation, 1)
        let second = try writer.update { $0.flags["drop-s3"] = Flag(percent: 10) }
        XCTAssertEqual(second.generation, 2)

        let onDisk = try ControlDocument.decode(XCTUnwrap(readBytes(path)))
        XCTAssertEqual(onDisk, second)
        XCTAssertEqual(onDisk.updatedBy, "test")
        let updatedAt = try XCTUnwrap(onDisk.updatedAt)
        XCTAssertLessThan(abs(updatedAt.timeIntervalSinceNow), 60)
        XCTAssertEqual(Set(onDisk.flags.keys), ["slow-db", "drop-s3"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("nested/deeper/.control.json.lock")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("nested/deeper"))
            .filter { $0.contains(".tmp.") }
        XCTAssertEqual(leftovers, [], "no temp files may be left behind")
    }

    func testFileIsWorldReadableEvenUnderARestrictiveUmask() throws {
        let path = directory.file("control.json")
        let previous = umask(0o077)
        defer { umask(previous) }
        try ControlFileWriter(path: path).update { $0.flags["a"] = Flag() }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o644)
    }

    func testPreservesUnknownFieldsWrittenByOthers() throws {
        let path = directory.file("control.json")
        writeFile(path, """
        {"version": 1, "generation": 41, "x-top": [1, 2], "flags": {
          "slow-db": {"enabled": true, "x-future": {"k": "v"}}}}
        """)
        let written = try ControlFileWriter(path: path).update { $0.flags["slow-db"]?.percent = 25 }
        XCTAssertEqual(written.generation, 42)
        let onDisk = try ControlDocument.decode(XCTUnwrap(readBytes(path)))
        XCTAssertEqual(onDisk.unknownFields["x-top"], .array([.integer(1), .integer(2)]))
        XCTAssertEqual(onDisk.flags["slow-db"]?.unknownFields["x-future"], .sortedObject(["k": .string("v")]))
        XCTAssertEqual(onDisk.flags["slow-db"]?.percent, 25)
    }

    func testThrowingBodyWritesNothing() throws {
        struct Abort: Error {}
        let path = directory.file("control.json")
        let writer = ControlFileWriter(path: path)
        XCTAssertThrowsError(try writer.update { _ in throw Abort() })
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))

        try writer.update { $0.flags["a"] = Flag() }
        let before = readBytes(path)
        XCTAssertThrowsError(try writer.update { document in
            document.flags["b"] = Flag()
            throw Abort()
        })
        XCTAssertEqual(readBytes(path), before)
    }

    func testInvalidResultIsRefusedAndNothingWritten() throws {
        let path = directory.file("control.json")
        let writer = ControlFileWriter(path: path)
        try writer.update { $0.flags["a"] = Flag() }
        let before = readBytes(path)
        XCTAssertThrowsError(try writer.update { $0.flags["a"]?.percent = 101 }) { error in
            XCTAssertEqual("\(error)", "\(path): flag \"a\": field \"percent\": 101 is out of range 0-100")
        }
        XCTAssertEqual(readBytes(path), before)
    }

    func testCorruptFileIsLeftByteIdentical() throws {
        let path = directory.file("control.json")
        let corrupt = #"{"version": 1, "generation": 3, "flags": {"slow-db": {"enabled": tru"#
        writeFile(path, corrupt)
        XCTAssertThrowsError(try ControlFileWriter(path: path).update { $0.flags["x"] = Flag() }) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(path + ": "), text)
            XCTAssertTrue(text.contains("refusing to overwrite"), text)
        }
        XCTAssertEqual(readBytes(path), Data(corrupt.utf8))

        writeFile(path, #"{"version": 9, "generation": 3, "flags": {}}"#)
        XCTAssertThrowsError(try ControlFileWriter(path: path).update { _ in }) { error in
            XCTAssertEqual((error as? ControlFileError)?.kind, .unsupportedVersion)
            XCTAssertTrue("\(error)".contains("unsupported version 9"), "\(error)")
        }
        XCTAssertEqual(readBytes(path), Data(#"{"version": 9, "generation": 3, "flags": {}}"#.utf8))
    }

    func testUncreatableDirectoryIsNamed() throws {
        let blocker = directory.file("blocker")
        writeFile(blocker, "a file where a directory should be")
        let path = blocker + "/sub/control.json"
        XCTAssertThrowsError(try ControlFileWriter(path: path).update { _ in }) { error in
            let error = error as? ControlFileError
            XCTAssertEqual(error?.kind, .io)
            // The file in the way is named, not the directory that could not be made below it.
            XCTAssertEqual(error?.path, blocker)
            XCTAssertTrue(error?.description.contains("cannot create directory: a file is in the way") == true, "\(String(describing: error))")
        }
    }

    /// Writers in other languages rely on exactly this: flock(LOCK_EX) on `.<name>.lock`.
    func testUpdateWaitsForAForeignFlockOnTheLockFile() throws {
        let path = directory.file("control.json")
        let writer = ControlFileWriter(path: path)
        try writer.update { $0.flags["a"] = Flag() }
        let lockFile = open(directory.file(".control.json.lock"), O_RDWR | O_CLOEXEC)
        XCTAssertGreaterThanOrEqual(lockFile, 0)
        XCTAssertEqual(flock(lockFile, LOCK_EX), 0)

        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? writer.update { $0.flags["b"] = Flag() }
            finished.signal()
        }
        // While we hold the lock the update must not complete (a window, not a sleep-assertion
        // of success: the check is that nothing happens).
        XCTAssertEqual(finished.wait(timeout: .now() + 0.3), .timedOut)
        XCTAssertNil(try writer.read().flags["b"])
        close(lockFile)   // releases the flock
        XCTAssertEqual(finished.wait(timeout: .now() + 5), .success)
        XCTAssertNotNil(try writer.read().flags["b"])
    }

    func testTempFilesOfCrashedWritersAreRemovedUnderTheLock() throws {
        let path = directory.file("control.json")
        let abandoned = directory.file(".control.json.tmp.999999.12345")
        writeFile(abandoned, "half a document")
        let unrelated = directory.file("other.json")
        writeFile(unrelated, "{}")
        try ControlFileWriter(path: path).update { $0.flags["a"] = Flag() }
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned))
        XCTAssertTrue(FileManager.default.fileExists(atPath: unrelated))
    }

    /// 50 real processes released at the same instant each enable a different flag.
    /// Without the lock, read-modify-write races would lose flags.
    func testFiftyConcurrentWriterProcessesLoseNothing() throws {
        let path = directory.file("control.json")
        let goFile = directory.file("go")
        let helper = writerHelperPath()
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: helper), "helper not built at \(helper)")

        let names = (0..<50).map { "flag-\($0)" }
        let processes = try names.map { try startWriterHelper(["enable", path, $0, goFile]) }
        writeFile(goFile, "")
        for process in processes {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }

        let document = try ControlDocument.decode(XCTUnwrap(readBytes(path)), path: path)
        XCTAssertEqual(Set(document.flags.keys), Set(names))
        XCTAssertEqual(document.generation, 50, "each write bumps the generation exactly once")
    }
}
