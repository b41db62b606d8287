import ChaosControl
import Foundation
import XCTest

/// A flag's own `seed` (docs/control-file.md section 3.2), read by real `ControlFileReader`s.
/// The files are written as JSON text so the test states the protocol, not the Swift model.
final class FlagSeedTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        path = directory.file("control.json")
    }

    override func tearDown() {
        directory.remove()
    }

    private func write(generation: Int = 1, flag: String) {
        writeFile(path, #"{"version": 1, "generation": \#(generation), "flags": {"slow-db": \#(flag)}}"#)
    }

    /// 500 decisions of `slow-db` by a fresh reader (no reader seed unless given).
    private func decisions(readerSeed: UInt64? = nil) -> [FlagDecision] {
        let reader = ControlFileReader(path: path, pollInterval: .seconds(60), seed: readerSeed)
        defer { reader.stop() }
        XCTAssertNil(reader.lastError)
        let flag = reader.flag("slow-db")
        return (0..<500).map { _ in flag.decide() }
    }

    func testSameFlagSeedGivesTheSameDecisionsInEveryReader() throws {
        write(flag: #"{"enabled": true, "percent": 50, "latency_ms": 100, "jitter_ms": 80, "seed": 42}"#)
        let first = decisions()
        XCTAssertEqual(first, decisions(), "two unseeded readers replay the flag's own sequence")
        let fired = first.filter(\.fires).count
        XCTAssertTrue((150...350).contains(fired), "percent 50 still holds: \(fired) of 500 fired")
        XCTAssertGreaterThan(Set(first.filter(\.fires).map(\.delayNanoseconds)).count, 50, "jitter is drawn too")
        // The documented sequence: the same as a reader seeded with that number.
        write(generation: 2, flag: #"{"enabled": true, "percent": 50, "latency_ms": 100, "jitter_ms": 80}"#)
        XCTAssertEqual(first, decisions(readerSeed: 42))

        write(generation: 3, flag: #"{"enabled": true, "percent": 50, "latency_ms": 100, "jitter_ms": 80, "seed": 43}"#)
        XCTAssertNotEqual(first, decisions(), "another seed, another sequence")
    }

    func testReaderSeedWinsOverTheFlagSeed() throws {
        write(flag: #"{"enabled": true, "percent": 50, "jitter_ms": 80, "latency_ms": 100}"#)
        let readerOnly = decisions(readerSeed: 7)
        write(generation: 2, flag: #"{"enabled": true, "percent": 50, "jitter_ms": 80, "latency_ms": 100, "seed": 42}"#)
        XCTAssertEqual(decisions(readerSeed: 7), readerOnly)
        XCTAssertNotEqual(decisions(), readerOnly)
    }

    func testRedefiningTheFlagRestartsItsSequence() throws {
        write(flag: #"{"enabled": true, "percent": 30, "seed": 9}"#)
        let reader = ControlFileReader(path: path, pollInterval: .seconds(60))
        defer { reader.stop() }
        let flag = reader.flag("slow-db")
        let before = (0..<300).map { _ in flag.fires() }
        write(generation: 2, flag: #"{"enabled": true, "percent": 30, "seed": 9, "mode": "fail"}"#)
        reader.reloadNow()
        XCTAssertEqual(reader.currentGeneration, 2)
        XCTAssertEqual((0..<300).map { _ in flag.fires() }, before)
    }

    func testSeedOutOfRangeIsRejectedNamingFileFlagFieldAndValue() throws {
        for bad in ["9007199254740992", "-1", "1.5", "\"7\""] {
            write(flag: #"{"enabled": true, "seed": \#(bad)}"#)
            let reader = ControlFileReader(path: path, pollInterval: .seconds(60))
            defer { reader.stop() }
            let error = try XCTUnwrap(reader.lastError, "seed \(bad) must be rejected")
            XCTAssertTrue(error.contains(path), error)
            XCTAssertTrue(error.contains("slow-db"), error)
            XCTAssertTrue(error.contains("seed"), error)
            XCTAssertTrue(error.contains(bad), error)
            XCTAssertFalse(reader.flag("slow-db").fires(), "nothing of a rejected file applies")
        }
        write(flag: #"{"enabled": true, "seed": 9007199254740991}"#)
        let reader = ControlFileReader(path: path, pollInterval: .seconds(60))
        defer { reader.stop() }
        XCTAssertNil(reader.lastError)
        XCTAssertTrue(reader.flag("slow-db").fires())
    }
}
