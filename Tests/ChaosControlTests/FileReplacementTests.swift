import ChaosControl
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The project's one atomic-file writer (ChaosCore's AtomicFile and the control-file writer
/// both go through it) and its one monotonic clock.
final class FileReplacementTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "file-replacement-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testReplaceSetsTheExactModeWhateverTheUmaskAndLeavesNoTempFile() throws {
        let path = directory + "/state.json"
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let previous = umask(0o077)
        defer { umask(previous) }
        try FileReplacement.replace(path, with: Data("new".utf8), mode: 0o644)

        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new")
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o644)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["state.json"])
    }

    func testAFailureNamesTheFileTheStepAndTheErrno() {
        let path = directory + "/missing/state.json"
        XCTAssertThrowsError(try FileReplacement.replace(path, with: Data("x".utf8))) { error in
            let failure = error as? FileReplacement.Failure
            XCTAssertEqual(failure?.errno, ENOENT)
            XCTAssertEqual(failure?.action, "cannot create temp file")
            XCTAssertTrue(failure?.path.hasPrefix(directory + "/missing/" + FileReplacement.tempPrefix(for: path)) == true,
                          "\(String(describing: failure))")
            XCTAssertTrue("\(error)".hasSuffix("No such file or directory"), "\(error)")
        }
    }

    func testMakeDirectoriesCreatesEveryLevelWithTheMode() throws {
        let nested = directory + "/a/b/c"
        let previous = umask(0o077)
        defer { umask(previous) }
        try FileReplacement.makeDirectories(nested, mode: 0o750)
        for path in [directory + "/a", directory + "/a/b", nested] {
            var info = stat()
            XCTAssertEqual(stat(path, &info), 0, path)
            XCTAssertEqual(info.st_mode & 0o777, 0o750, path)
        }
        try FileReplacement.makeDirectories(nested, mode: 0o750)  // already there: fine
    }

    func testMonotonicClockSleepsToAnAbsoluteDeadline() {
        let start = MonotonicClock.now()
        let deadline = MonotonicClock.deadline(after: 0.02)
        XCTAssertGreaterThanOrEqual(deadline, start + 20_000_000)
        MonotonicClock.sleep(until: deadline)
        XCTAssertGreaterThanOrEqual(MonotonicClock.now(), deadline)
        XCTAssertGreaterThanOrEqual(MonotonicClock.seconds(since: start), 0.02)
        // A negative span is "now", never a wrap-around into the far future.
        XCTAssertLessThanOrEqual(MonotonicClock.deadline(after: -5), MonotonicClock.now())
    }
}
