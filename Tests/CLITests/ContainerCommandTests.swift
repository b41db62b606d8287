import ChaosTestSupport
import Foundation
import XCTest

/// `chaosctl container …` end to end through the real binary: option checking, exit codes,
/// and error mapping against the scripted engine of ChaosTargetsTests (the real-engine
/// behaviour is covered by DockerEngineIntegrationTests).
final class ContainerCommandTests: XCTestCase {
    var temp: TempDir!
    var cli: Chaosctl!

    override func setUpWithError() throws {
        temp = try TempDir()
        cli = Chaosctl(controlPath: temp.path + "/control.json", stateDir: temp.path + "/state")
    }

    override func tearDown() {
        temp = nil  // XCTest keeps test instances alive: drop the directory now
    }

    func testBadOptionsExitWithUsageAndTouchNothing() throws {
        let host = ["--docker-host", "unix://\(temp.path)/none.sock"]
        let cases: [([String], String)] = [
            (["container", "kill", "--count", "0"], "--count"),
            (["container", "kill", "--count", "1", "--all"], "--count, --percent, --all"),
            (["container", "stop", "--percent", "150"], "--percent"),
            (["container", "kill", "--signal", "SIGBOGUS"], "SIGBOGUS"),
            (["container", "restart", "--interval", "1s"], "--interval and --duration"),
            (["container", "pause", "--interval", "2s", "--duration", "4s"], "--for"),
            (["container", "pause", "--for", "3s", "--interval", "2s", "--duration", "4s"], "shorter than --interval"),
            (["container", "list", "--name", "re:("], "re:("),
            (["container", "stop", "--timeout", "soon"], "soon"),
            (["container", "list", "-H", "ssh://me@box"], "ssh://me@box"),
            (["container", "pause", "--for", "0s"], "--for: '0s' must be longer than 0"),
            (["container", "stop", "--timeout", "10"], "--timeout: '10'"),
        ]
        for (args, needle) in cases {
            let r = try cli.run(args + (args.contains("-H") ? [] : host))
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(needle), "\(args): '\(needle)' not in: \(r.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.stateDir + "/events.jsonl"))
    }

    func testUnreachableEngineExitsFourNamingTheSocket() throws {
        let r = try cli.run(["container", "kill", "--label", "app=web", "--docker-host", "unix://\(temp.path)/none.sock"])
        XCTAssertEqual(r.status, 4, r.stderr)
        XCTAssertTrue(r.stderr.contains("\(temp.path)/none.sock"), r.stderr)
    }

    func testAgainstAScriptedPodmanEngine() throws {
        let engine = try FakePodmanEngine(directory: temp.path)
        defer { engine.stop() }
        let socket = engine.socket
        let host = ["-H", "unix://" + socket]

        let list = try cli.run(["container", "list", "--label", "app=web"] + host)
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("Libpod/4.3.1"), list.stdout)
        XCTAssertTrue(list.stdout.contains("web-1"), list.stdout)

        let dry = try cli.run(["container", "kill", "--label", "app=web", "--dry-run"] + host)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("would kill web-1"), dry.stdout)

        // The fake's web-1 exits between chaosctl's list and its kill; Podman then answers
        // 500 "can only kill running containers"; chaosctl says what it means.
        let kill = try cli.run(["container", "kill", "--label", "app=web"] + host)
        XCTAssertEqual(kill.status, 8, kill.stderr)
        XCTAssertTrue(kill.stderr.contains("web-1") && kill.stderr.contains("is not running"), kill.stderr)
        let log = (try? String(contentsOfFile: socket + ".log", encoding: .utf8)) ?? ""
        XCTAssertEqual(log.components(separatedBy: "/kill").count - 1, 1, "the dry run sent no kill: \(log)")

        let none = try cli.run(["container", "kill", "--label", "app=web", "--name", "db-*"] + host)
        XCTAssertEqual(none.status, 7, none.stderr)
        XCTAssertTrue(none.stderr.contains("no container matches"), none.stderr)
    }

    /// A repeated run is trapped before its first line: SIGTERM right after that line ends it
    /// through its summary ("interrupted by signal 15"), never the untrapped exit.
    func testARepeatedRunStoppedRightAfterItsFirstLineEndsThroughItsSummary() throws {
        let engine = try FakePodmanEngine(directory: temp.path)
        defer { engine.stop() }
        var bad: [String] = []
        for i in 0..<10 {
            let args = ["container", "stop", "--label", "app=web", "--dry-run", "--interval", "5s", "--duration", "60s",
                        "-H", "unix://" + engine.socket]
            let run = try PipedChaosctl(cli, args), p = run.process, stdout = run.stdout, stderr = run.stderr
            guard stdout.line(containing: "dry run: stop on", timeout: 20) != nil else {
                run.killAndReap()
                bad.append("round \(i): no first line; stderr: \(stderr.all)")
                continue
            }
            kill(p.processIdentifier, SIGTERM)
            p.waitUntilExit()
            let summary = stdout.line(containing: "interrupted by signal 15", timeout: 5)
            if p.terminationStatus != 143 || summary == nil {
                bad.append("round \(i): exit \(p.terminationStatus); stdout: \(stdout.all) stderr: \(stderr.all)")
            }
        }
        XCTAssertEqual(bad, [])
    }
}
