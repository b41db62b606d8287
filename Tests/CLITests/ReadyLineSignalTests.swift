import ChaosTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A long-running command's first line tells scripts it is up; a script that stops it right
/// after that line must see the normal stop (exit 0), not a kill (143). CI once caught
/// `proxy serve` printing its line before its trap existed: 15 of 40 such stops exited 143.
final class ReadyLineSignalTests: OfflineCLITestCase {
    /// Starts `args` `rounds` times, signals it the moment `marker` is read, and returns
    /// what went wrong in each round that did not end with status 0.
    private func stopRightAfterTheFirstLine(_ args: [String], marker: String, rounds: Int = 25) throws -> [String] {
        var bad: [String] = []
        for i in 0..<rounds {
            let run = try PipedChaosctl(cli, args), p = run.process
            let sig = i % 2 == 0 ? SIGTERM : SIGINT
            guard run.stdout.line(containing: marker, timeout: 20) != nil else {
                run.killAndReap()
                bad.append("round \(i): no '\(marker)' line; stderr: \(run.stderr.all)")
                continue
            }
            kill(p.processIdentifier, sig)
            p.waitUntilExit()
            if p.terminationReason != .exit || p.terminationStatus != 0 {
                bad.append("round \(i): signal \(sig) gave \(p.terminationReason == .exit ? "exit" : "signal") \(p.terminationStatus); stderr: \(run.stderr.all)")
            }
        }
        return bad
    }

    func testProxyServeStoppedRightAfterItsListeningLineExitsZero() throws {
        XCTAssertEqual(try stopRightAfterTheFirstLine(["proxy", "serve", "--port", "0"], marker: "proxy API on"), [])
    }

    func testFlagWatchStoppedRightAfterItsFirstLineExitsZero() throws {
        XCTAssertEqual(try stopRightAfterTheFirstLine(["flag", "watch"], marker: "generation"), [])
    }

    /// `flag watch` follows the file before its first line: a change written (renamed over)
    /// the moment that line arrives is printed, never lost.
    func testFlagWatchShowsAChangeMadeRightAfterItsFirstLine() throws {
        let control = temp.path + "/control.json"
        var lost: [String] = []
        for i in 0..<25 {
            try? FileManager.default.removeItem(atPath: control)
            let watch = try PipedChaosctl(cli, ["flag", "watch", "--duration", "60s"]), stdout = watch.stdout
            defer { watch.killAndReap() }
            guard stdout.line(containing: "0 flag(s)", timeout: 20) != nil else {
                lost.append("round \(i): no first line: \(stdout.all)")
                continue
            }
            let name = "watched-\(i)"
            let document = #"{"version": 1, "generation": 1, "flags": {"\#(name)": {"enabled": true, "percent": 10}}}"#
            try document.write(toFile: control + ".new", atomically: false, encoding: .utf8)
            XCTAssertEqual(rename(control + ".new", control), 0)
            if stdout.line(containing: "+ \(name) on", timeout: 20) == nil { lost.append("round \(i): \(stdout.all)") }
        }
        XCTAssertEqual(lost, [])
    }

    func testDemoServiceStoppedRightAfterItsFirstLineExitsZero() throws {
        let args = ["demo", "service", "--port", "0", "--api-port", "0"]
        XCTAssertEqual(try stopRightAfterTheFirstLine(args, marker: "demo service http://"), [])
    }
}
