import ChaosCore
@testable import ChaosTargets
import Foundation
import XCTest

final class SelectionTests: XCTestCase {
    private func containers(_ names: [String], state: String = "running") -> [ContainerSummary] {
        names.enumerated().map { ContainerSummary(id: String(repeating: "\($0.offset)", count: 64), names: ["/" + $0.element], state: state) }
    }

    func testGlobAndRegexNamePatterns() throws {
        let glob = try NamePattern("web-*")
        XCTAssertTrue(glob.matches("/web-1"))
        XCTAssertTrue(glob.matches("web-east-2"))
        XCTAssertFalse(glob.matches("db-web-1"), "globs match the whole name")
        XCTAssertTrue(try NamePattern("web-[12]").matches("web-2"))
        XCTAssertFalse(try NamePattern("web-[12]").matches("web-3"))
        XCTAssertTrue(try NamePattern("web.?").matches("web.1"))
        XCTAssertFalse(try NamePattern("web.?").matches("webx1"), "dots are literal in globs")
        XCTAssertTrue(try NamePattern("re:web-\\d+").matches("web-42"))
        XCTAssertFalse(try NamePattern("re:web-\\d+").matches("web-4a"))
        XCTAssertThrowsError(try NamePattern("re:(")) { XCTAssertEqual(($0 as? ChaosFailure)?.exitCode, .usage) }
    }

    func testPickSizes() {
        XCTAssertEqual(ContainerPick.count(2).size(of: 5), 2)
        XCTAssertEqual(ContainerPick.count(9).size(of: 5), 5)
        XCTAssertEqual(ContainerPick.percent(50).size(of: 5), 3, "rounded up")
        XCTAssertEqual(ContainerPick.percent(1).size(of: 5), 1, "any positive percentage hits one")
        XCTAssertEqual(ContainerPick.percent(100).size(of: 5), 5)
        XCTAssertEqual(ContainerPick.all.size(of: 5), 5)
    }

    func testSeededPickIsReproducibleAndIndependentOfListOrder() throws {
        let all = containers((1...10).map { "web-\($0)" })
        let selector = ContainerSelector(pick: .count(3))
        var a = SeededRandom(seed: 99), b = SeededRandom(seed: 99)
        let one = try selector.choose(from: selector.filter(all), using: &a)
        let two = try selector.choose(from: selector.filter(all.reversed()), using: &b)
        XCTAssertEqual(one.map(\.id), two.map(\.id))
        XCTAssertEqual(Set(one.map(\.id)).count, 3)
        // Different seeds eventually pick differently.
        var picks = Set<[String]>()
        for seed in 0..<20 {
            var r = SeededRandom(seed: UInt64(seed))
            picks.insert(try selector.choose(from: selector.filter(all), using: &r).map(\.id))
        }
        XCTAssertGreaterThan(picks.count, 1)
    }

    func testFilterByNameAndStateAndEmptySelection() throws {
        let mixed = containers(["web-1", "web-2", "db-1"]) + containers(["web-9"], state: "exited")
        let selector = ContainerSelector(name: try NamePattern("web-*"), statuses: ["running"], pick: .all)
        XCTAssertEqual(selector.filter(mixed).map(\.name), ["web-1", "web-2"])
        var r = SeededRandom(seed: 1)
        XCTAssertThrowsError(try selector.choose(from: [], using: &r)) { error in
            XCTAssertEqual((error as? ChaosFailure)?.exitCode, .notFound)
            XCTAssertTrue("\(error)".contains("name web-*"), "\(error)")
        }
    }
}

final class DockerPartsTests: XCTestCase {
    func testDockerHostParsing() throws {
        XCTAssertEqual(try DockerHost(nil).endpoint, .unix(path: "/var/run/docker.sock"))
        XCTAssertEqual(try DockerHost("").endpoint, .unix(path: "/var/run/docker.sock"))
        XCTAssertEqual(try DockerHost("unix:///tmp/d.sock").endpoint, .unix(path: "/tmp/d.sock"))
        XCTAssertEqual(try DockerHost("tcp://127.0.0.1:2375").endpoint, .tcp(host: "127.0.0.1", port: 2375))
        XCTAssertEqual(try DockerHost("tcp://[::1]:2376").endpoint, .tcp(host: "::1", port: 2376))
        XCTAssertEqual(try DockerHost("tcp://engine").endpoint, .tcp(host: "engine", port: 2375))
        XCTAssertEqual(try DockerHost.fromEnvironment(["DOCKER_HOST": "unix:///run/p.sock"]).description, "unix:///run/p.sock")
        for bad in ["ssh://me@host", "unix://relative", "tcp://h:99999", "npipe:////./pipe/docker"] {
            XCTAssertThrowsError(try DockerHost(bad)) { XCTAssertEqual(($0 as? ChaosFailure)?.exitCode, .usage) }
        }
        XCTAssertEqual(try DockerHost("tcp://[::1]:2376").httpConfiguration().baseURL, "http://[::1]:2376")
    }

    func testAPIVersionOrdering() {
        XCTAssertLessThan(DockerAPIVersion(1, 9), DockerAPIVersion(1, 10))
        XCTAssertEqual(DockerAPIVersion("1.41"), DockerAPIVersion(1, 41))
        XCTAssertNil(DockerAPIVersion("v1.41"))
        XCTAssertEqual(min(DockerAPIVersion("1.45")!, .newestKnown), DockerAPIVersion(1, 41))
    }

    func testErrorClassificationFromTranscripts() {
        func reason(_ status: Int, _ message: String) -> ContainerEngineError.Reason {
            ContainerEngineError.classify(status: status, message: message, operation: "op", container: "c").reason
        }
        // Docker 20.10
        XCTAssertEqual(reason(409, "Cannot kill container: abc: Container abc is not running"), .notRunning)
        XCTAssertEqual(reason(409, "Container abc is already paused"), .alreadyPaused)
        XCTAssertEqual(reason(500, "Container abc is not paused"), .notPaused)
        XCTAssertEqual(reason(400, "Invalid signal: SIGBOGUS"), .invalidSignal)
        XCTAssertEqual(reason(404, "No such container: doesnotexist"), .notFound)
        XCTAssertEqual(reason(400, "client version 1.99 is too new. Maximum supported API version is 1.41"), .unsupported)
        // Podman 4.3
        XCTAssertEqual(reason(500, "can only kill running containers. abc is in state exited: container state improper"), .notRunning)
        XCTAssertEqual(reason(500, "\"abc\" is already paused: container state improper"), .alreadyPaused)
        XCTAssertEqual(reason(500, "\"abc\" is not paused, can't unpause: container state improper"), .notPaused)
        XCTAssertEqual(reason(500, "invalid signal: SIGBOGUS"), .invalidSignal)
        XCTAssertEqual(reason(401, "unauthorized"), .unauthorized)
        XCTAssertEqual(reason(500, "something else broke"), .engine)
        let e = ContainerEngineError.classify(status: 409, message: "Container abc is not running", operation: "kill", container: "web-1")
        XCTAssertEqual(e.description, "kill: container web-1 is not running")
        XCTAssertEqual(e.exitCode, .conflict)
    }

    func testSignalNames() throws {
        XCTAssertEqual(try DockerSignal.normalize("term"), "SIGTERM")
        XCTAssertEqual(try DockerSignal.normalize("SIGKILL"), "SIGKILL")
        XCTAssertEqual(try DockerSignal.normalize("9"), "9")
        XCTAssertEqual(DockerSignal.number("SIGKILL"), SIGKILL)
        XCTAssertThrowsError(try DockerSignal.normalize("SIGBOGUS")) { XCTAssertEqual(($0 as? ChaosFailure)?.exitCode, .usage) }
    }

    func testRepeatedScheduleRunsSeriallyWithinTheDuration() {
        let schedule = RepeatedChaos(interval: 0.2, duration: 0.5)
        XCTAssertEqual(schedule.maxRounds, 3)
        var starts: [Date] = []
        let t0 = Date()
        let rounds = schedule.run(stop: StopFlag()) { _ in starts.append(Date()); return true }
        XCTAssertEqual(rounds, 3)
        XCTAssertEqual(starts.last!.timeIntervalSince(t0), 0.4, accuracy: 0.15)

        let stop = StopFlag()
        let stopped = schedule.run(stop: stop) { i in
            if i == 0 { stop.trigger(SIGINT) }
            return true
        }
        XCTAssertEqual(stopped, 1, "a stop between rounds ends the run")
        XCTAssertEqual(RepeatedChaos(interval: 0, duration: 0).run(stop: StopFlag()) { _ in true }, 1, "no repetition: one round")
    }
}
